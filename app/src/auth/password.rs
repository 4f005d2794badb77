//! Password hashing with Argon2id (the `password-auth` crate: m=19 MiB, t=2, p=1),
//! always off the async runtime.

use std::sync::OnceLock;

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

/// Hashes `password` with Argon2id and a fresh salt, in PHC string format.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(AppError::internal)
}

/// Checks `password` against `hash`.
pub async fn verify(password: String, hash: String) -> Result<Verdict, AppError> {
    tokio::task::spawn_blocking(
        move || match password_auth::verify_password(password, &hash) {
            Ok(()) => Verdict::Valid {
                needs_rehash: password_auth::is_hash_obsolete(&hash).unwrap_or(true),
            },
            Err(_) => Verdict::Invalid,
        },
    )
    .await
    .map_err(AppError::internal)
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

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(stored.contains("m=19456,t=2,p=1"), "{stored}");
        assert_eq!(
            verify("correct horse battery".into(), stored.clone())
                .await
                .unwrap(),
            Verdict::Valid {
                needs_rehash: false
            }
        );
        assert_eq!(
            verify("wrong horse battery".into(), stored).await.unwrap(),
            Verdict::Invalid
        );
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
            verify("an old but right password".into(), weaker)
                .await
                .unwrap(),
            Verdict::Valid { needs_rehash: true }
        );
    }
}
