-- The instance's signing keys for Open Badges 3.0 credentials (VC-JWT, EdDSA). One is
-- created at first start; verification looks a credential's key up by `kid`, so an older
-- key keeps verifying what it signed after a newer one takes over signing.
CREATE TABLE issuer_keys (
    kid         TEXT PRIMARY KEY,
    -- the Ed25519 private key as PKCS#8 DER
    private_key BLOB NOT NULL,
    -- the public key, base64url (a JWK's `x`)
    public_x    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    retired_at  TEXT
) STRICT;
