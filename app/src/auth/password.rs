//! Password hashing with Argon2id (the `password-auth` crate: m=19 MiB, t=2, p=1),
//! always off the async runtime, and never more at once than the machine has cores:
//! each check holds 19 MiB, so a burst of sign-ins must queue, not multiply memory.

use std::sync::{LazyLock, OnceLock};

use tokio::sync::Semaphore;

use crate::error::AppError;

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The password matches. `needs_rehash` is true when the hash uses old parameters.
    Valid {
        /// Rehash and store again with today's parameters.
        needs_rehash: bool,
    },
    /// The password does not match (or the hash is unreadable).
    Invalid,
}

/// How many hashes may run at once: one per core.
pub fn hashing_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

static HASHING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(hashing_slots()));

/// Runs `work` on the blocking pool once one of the [`hashing_slots`] is free.
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _slot = HASHING.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work).await.map_err(AppError::internal)
}

/// Hashes `password` with Argon2id and a fresh salt, in PHC string format.
pub async fn hash(password: String) -> Result<String, AppError> {
    off_runtime(move || password_auth::generate_hash(password)).await
}

/// Checks `password` against `hash`.
pub async fn verify(password: String, hash: String) -> Result<Verdict, AppError> {
    off_runtime(move || match password_auth::verify_password(password, &hash) {
        Ok(()) => {
            Verdict::Valid { needs_rehash: password_auth::is_hash_obsolete(&hash).unwrap_or(true) }
        }
        Err(_) => Verdict::Invalid,
    })
    .await
}

/// A real hash of a random password, checked when the account is unknown so
/// that "no such account" takes as long as "wrong password".
pub async fn verify_against_decoy(password: String) -> Result<(), AppError> {
    static DECOY: OnceLock<String> = OnceLock::new();
    let decoy = match DECOY.get() {
        Some(hash) => hash.clone(),
        None => {
            let fresh = hash(uuid::Uuid::new_v4().to_string()).await?;
            DECOY.get_or_init(|| fresh).clone()
        }
    };
    verify(password, decoy).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_there_are_slots() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..hashing_slots() * 4)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(off_runtime(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!(most >= 1 && most <= hashing_slots(), "{most} ran at once");
    }

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(stored.contains("m=19456,t=2,p=1"), "{stored}");
        assert_eq!(
            verify("correct horse battery".into(), stored.clone()).await.unwrap(),
            Verdict::Valid { needs_rehash: false }
        );
        assert_eq!(verify("wrong horse battery".into(), stored).await.unwrap(), Verdict::Invalid);
    }

    #[tokio::test]
    async fn the_same_password_hashes_differently() {
        let a = hash("correct horse battery".into()).await.unwrap();
        let b = hash("correct horse battery".into()).await.unwrap();
        assert_ne!(a, b, "each hash has its own salt");
    }

    #[tokio::test]
    async fn weaker_parameters_ask_for_a_rehash() {
        use argon2::password_hash::{PasswordHasher, SaltString};
        use argon2::{Algorithm, Argon2, Params, Version};
        let params = Params::new(19_456, 1, 1, None).unwrap();
        let salt = SaltString::from_b64("c2FsdHNhbHRzYWx0c2FsdA").unwrap();
        let weaker = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"an old but right password", &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            verify("an old but right password".into(), weaker).await.unwrap(),
            Verdict::Valid { needs_rehash: true }
        );
    }
}
