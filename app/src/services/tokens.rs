//! Secret tokens sent in links (invites, calendar feeds, account e-mail, unsubscribe):
//! made from the OS's random source, stored only as their SHA-256.

use sha2::{Digest, Sha256};

/// A new random token: 64 hex characters (two random UUIDs, 244 random bits).
pub fn new_token() -> String {
    [uuid::Uuid::new_v4(), uuid::Uuid::new_v4()].iter().map(|u| u.simple().to_string()).collect()
}

/// The SHA-256 of `text` in lower-case hex: how tokens are stored and looked up.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hash_stably() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(sha256_hex("abc").len(), 64);
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
