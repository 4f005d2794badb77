//! Open Badges 3.0 credentials: the instance's Ed25519 key (created at first start and kept
//! in the database), signing an award as a VC-JWT for its holder, share links, and
//! checking a pasted credential (signature, issuer, not revoked).

use crate::db::Pool;
use std::collections::HashSet;

use chrono::Utc;
use ed25519_dalek::pkcs8::{EncodePrivateKey, KeypairBytes};
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::Value;

use crate::auth::policy;
use crate::db::credentials::{self as store, AwardRecord, StoredKey};
use crate::db::writer::{WriteQueue, write_tx};
use crate::domain::badges::{BadgeIcon, BadgeMetric};
use crate::domain::ids::UserId;
use crate::domain::open_badges::{
    AwardFacts, CredentialCheck, IssuerProfile, OwnAward, SharedAward, claims_of, names_issuer,
    passed,
};
use crate::error::AppError;
use crate::services::tokens::new_token;

/// Longest credential `/badges/verify` reads.
pub const MAX_CREDENTIAL_LEN: usize = 32 * 1024;

/// One key: signs (the newest) or only verifies (retired ones).
struct IssuerKey {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwk: Jwk,
}

/// The instance as the issuer of Open Badges: its profile and keys.
pub struct Issuer {
    profile: IssuerProfile,
    /// The signing key first, then retired ones.
    keys: Vec<IssuerKey>,
}

impl Issuer {
    /// Loads the keys from the database, creating the first one at first start. `pool`
    /// must be writable (start-up runs before any request).
    pub async fn start(pool: &Pool, profile: IssuerProfile) -> Result<Issuer, AppError> {
        let mut stored = store::keys(pool).await?;
        if stored.iter().all(|k| k.retired) {
            store::insert_first_key(pool, &new_key()?, Utc::now()).await?;
            stored = store::keys(pool).await?;
        }
        let keys = stored.iter().map(load_key).collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(AppError::internal("no Open Badges signing key"));
        }
        Ok(Issuer { profile, keys })
    }

    /// Who issues: the site's address and name.
    pub fn profile(&self) -> &IssuerProfile {
        &self.profile
    }

    /// The id of the key that signs now.
    pub fn signing_kid(&self) -> &str {
        self.keys.first().map(|k| k.kid.as_str()).unwrap_or_default()
    }

    /// The public keys as a JWK set, served at `/badges/issuer/jwks.json`.
    pub fn key_set(&self) -> JwkSet {
        JwkSet { keys: self.keys.iter().map(|k| k.jwk.clone()).collect() }
    }

    /// Signs `award` as an `OpenBadgeCredential` in VC-JWT form; the header names the key
    /// and carries it as a JWK.
    pub fn sign(&self, award: &AwardFacts) -> Result<String, AppError> {
        let key = self.keys.first().ok_or_else(|| AppError::internal("no signing key"))?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.kid.clone());
        header.jwk = Some(key.jwk.clone());
        let credential = self.profile.credential(award);
        jsonwebtoken::encode(&header, &credential, &key.encoding).map_err(AppError::internal)
    }

    /// Checks a pasted credential: a JWT, signed by one of this instance's keys, naming
    /// this issuer, of an award that is still on record and not revoked.
    pub async fn verify(&self, pool: &Pool, token: &str) -> Result<CredentialCheck, AppError> {
        let token: String = token.split_whitespace().collect();
        if token.is_empty() {
            return Err(AppError::invalid("credential", "Paste a credential to check."));
        }
        if token.len() > MAX_CREDENTIAL_LEN {
            return Err(AppError::invalid("credential", "That is too long to be a credential."));
        }
        let Ok(header) = jsonwebtoken::decode_header(&token) else {
            return Ok(CredentialCheck::failed(
                Vec::new(),
                "Format",
                "This is not a signed credential (a VC-JWT: three base64url parts joined by dots).",
            ));
        };
        let mut steps = vec![passed("Format", "A VC-JWT.")];
        let key = match header.kid.as_deref().and_then(|kid| self.key(kid)) {
            Some(key) if header.alg == Algorithm::EdDSA => key,
            _ => {
                return Ok(CredentialCheck::failed(
                    steps,
                    "Signature",
                    "It was not signed with a key of this Kindred.",
                ));
            }
        };
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.required_spec_claims =
            ["iss", "nbf", "jti"].into_iter().map(str::to_owned).collect::<HashSet<_>>();
        validation.validate_aud = false;
        let credential = match jsonwebtoken::decode::<Value>(&token, &key.decoding, &validation) {
            Ok(data) => data.claims,
            Err(error) => {
                return Ok(CredentialCheck::failed(steps, "Signature", signature_problem(&error)));
            }
        };
        steps.push(passed("Signature", format!("Signed with this Kindred's key {}.", key.kid)));
        let issuer_id = self.profile.id();
        if !names_issuer(&credential, &issuer_id) {
            return Ok(CredentialCheck::failed(
                steps,
                "Issuer",
                format!("It is not an Open Badge issued by {issuer_id}."),
            ));
        }
        steps.push(passed("Issuer", format!("Issued by {} ({issuer_id}).", self.profile.name)));
        let claims = claims_of(&credential);
        let award =
            credential.get("jti").and_then(Value::as_str).and_then(|id| self.profile.award_of(id));
        let record = match award {
            Some(id) => store::award(pool, id).await?,
            None => None,
        };
        let status = match record {
            None => Err("This award is no longer on record.".to_owned()),
            Some(AwardRecord { revoked_at: Some(at), revoke_reason, visibility, .. }) => {
                let reason = if visibility == "public" {
                    format!(": {revoke_reason}")
                } else {
                    String::new()
                };
                Err(format!("Revoked on {}{reason}.", at.format("%-d %b %Y")))
            }
            Some(_) => Ok("Not revoked.".to_owned()),
        };
        let mut check = match status {
            Ok(detail) => {
                steps.push(passed("Status", detail));
                CredentialCheck { valid: true, steps, claims: None }
            }
            Err(detail) => CredentialCheck::failed(steps, "Status", detail),
        };
        check.claims = Some(claims);
        Ok(check)
    }

    fn key(&self, kid: &str) -> Option<&IssuerKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// The signed credential of `award` for its holder (`viewer`); anyone else is told it
    /// does not exist.
    pub async fn for_holder(
        &self,
        pool: &Pool,
        viewer: Option<UserId>,
        award: i64,
    ) -> Result<String, AppError> {
        let record = store::award(pool, award).await?.ok_or(AppError::NotFound)?;
        policy::check_own_award(viewer, record.user_id, record.revoked_at.is_some())?;
        self.sign(&facts(record))
    }

    /// The signed credential of the award shared under `token`.
    pub async fn shared(&self, pool: &Pool, token: &str) -> Result<String, AppError> {
        let record = store::shared_award(pool, token).await?.ok_or(AppError::NotFound)?;
        policy::check_own_award(Some(record.user_id), record.user_id, record.revoked_at.is_some())?;
        self.sign(&facts(record))
    }

    /// The public page of the award shared under `token`.
    pub async fn shared_page(&self, pool: &Pool, token: &str) -> Result<SharedAward, AppError> {
        let record = store::shared_award(pool, token).await?.ok_or(AppError::NotFound)?;
        let icon = BadgeIcon::parse(&record.icon).unwrap_or(BadgeIcon::Star);
        let revoked_at = record.revoked_at;
        let community = record.community_name.clone();
        let facts = facts(record);
        Ok(SharedAward {
            title: facts.title(),
            icon,
            description: facts.description,
            criteria: facts.criteria,
            holder: facts.holder.1,
            community,
            awarded_at: facts.awarded_at,
            revoked_at,
            credential_path: format!("/badges/shared/{token}/credential.jwt"),
        })
    }

    /// `user`'s awards of `badge` with their share links, for the badge's page.
    pub async fn own_awards(
        &self,
        pool: &Pool,
        badge: i64,
        badge_name: &str,
        unit: &str,
        user: UserId,
    ) -> Result<Vec<OwnAward>, AppError> {
        let rows = store::own_awards(pool, badge, user).await?;
        Ok(rows
            .into_iter()
            .map(|(id, level, threshold, token)| {
                let title = match threshold {
                    Some(t) if level > 1 || t > 1.0 => {
                        format!("{badge_name} · {} {unit}", crate::domain::badges::format_number(t))
                            .trim_end()
                            .to_owned()
                    }
                    _ => badge_name.to_owned(),
                };
                let share_url =
                    token.map(|t| format!("{}/badges/shared/{t}", self.profile.base_url));
                OwnAward { id, title, share_url }
            })
            .collect())
    }
}

/// The holder turns the public share link of their award on (a new link) or off.
pub async fn set_sharing(
    writes: &WriteQueue,
    viewer: UserId,
    award: i64,
    on: bool,
) -> Result<String, AppError> {
    let token = on.then(new_token);
    write_tx!(writes, |conn| {
        let record = store::award(&mut *conn, award).await?.ok_or(AppError::NotFound)?;
        policy::check_own_award(Some(viewer), record.user_id, record.revoked_at.is_some())?;
        if on && record.share_token.is_some() {
            return Ok(crate::services::badges::badge_link(&record.slug, record.badge_id));
        }
        store::set_share_token(&mut *conn, award, token.as_deref()).await?;
        Ok(crate::services::badges::badge_link(&record.slug, record.badge_id))
    })
}

/// What a stored award says, as a credential states it.
fn facts(record: AwardRecord) -> AwardFacts {
    let unit = record.metric.as_deref().and_then(BadgeMetric::parse).map(BadgeMetric::unit);
    AwardFacts {
        award_id: record.id,
        badge_id: record.badge_id,
        badge_name: record.badge_name,
        description: record.description,
        criteria: record.criteria,
        level: record.level,
        threshold: record.threshold.zip(unit.map(str::to_owned)),
        reason: record.reason,
        community: (record.slug, record.community_name),
        holder: (record.handle, record.display_name),
        awarded_at: record.awarded_at,
        evidence: record.evidence.split(',').filter_map(|id| id.trim().parse().ok()).collect(),
    }
}

/// Why a credential's signature (or its registered claims) did not check out, in words.
fn signature_problem(error: &jsonwebtoken::errors::Error) -> &'static str {
    use jsonwebtoken::errors::ErrorKind;
    match error.kind() {
        ErrorKind::InvalidSignature => {
            "The signature does not match: the credential was changed after it was signed."
        }
        ErrorKind::ExpiredSignature => "The credential has expired.",
        ErrorKind::ImmatureSignature => "The credential is not valid yet.",
        ErrorKind::MissingRequiredClaim(_) => "The credential lacks its issuer, date or id.",
        _ => "The credential could not be read.",
    }
}

/// A new random Ed25519 key (from the OS's random source), its id the JWK thumbprint (RFC 7638) of its public half.
fn new_key() -> Result<StoredKey, AppError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(AppError::internal)?;
    // PKCS#8 v1 (the private key alone): the form `jsonwebtoken` reads Ed25519 keys in.
    let der = KeypairBytes { secret_key: seed, public_key: None }
        .to_pkcs8_der()
        .map_err(AppError::internal)?;
    let encoding = EncodingKey::from_ed_der(der.as_bytes());
    let jwk = Jwk::from_encoding_key(&encoding, Algorithm::EdDSA).map_err(AppError::internal)?;
    let AlgorithmParameters::OctetKeyPair(public) = &jwk.algorithm else {
        return Err(AppError::internal("an Ed25519 key without its public half"));
    };
    let public_x = public.x.clone();
    let kid = jwk.thumbprint(ThumbprintHash::SHA256).map_err(AppError::internal)?;
    Ok(StoredKey { kid, private_key: der.as_bytes().to_vec(), public_x, retired: false })
}

fn load_key(stored: &StoredKey) -> Result<IssuerKey, AppError> {
    let encoding = EncodingKey::from_ed_der(&stored.private_key);
    let decoding = DecodingKey::from_ed_components(&stored.public_x).map_err(AppError::internal)?;
    let mut jwk =
        Jwk::from_encoding_key(&encoding, Algorithm::EdDSA).map_err(AppError::internal)?;
    jwk.common.key_id = Some(stored.kid.clone());
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    Ok(IssuerKey { kid: stored.kid.clone(), encoding, decoding, jwk })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_loads_and_its_id_is_its_thumbprint() {
        let stored = new_key().unwrap();
        let key = load_key(&stored).unwrap();
        assert_eq!(key.kid, stored.kid);
        assert_eq!(key.kid.len(), 43);
    }
}
