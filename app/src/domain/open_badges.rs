//! Open Badges 3.0: the credential an award is taken away as (an `OpenBadgeCredential`,
//! a W3C verifiable credential), and what checking a pasted one found.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::domain::badges::format_number;

/// The JSON-LD contexts every `OpenBadgeCredential` names, in order.
pub const CONTEXTS: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// Where, under the site, the issuer's profile is.
pub const ISSUER_PATH: &str = "/badges/issuer";
/// Where, under the site, the issuer's public keys are (a JWK set).
pub const KEYS_PATH: &str = "/badges/issuer/jwks.json";
/// Where, under the site, credentials are: `/badges/credentials/{award}` is both a
/// credential's id and, for its holder, its download.
pub const CREDENTIALS_PATH: &str = "/badges/credentials/";

/// What an award says, as the credential states it.
#[derive(Debug, Clone, PartialEq)]
pub struct AwardFacts {
    /// The award's id.
    pub award_id: i64,
    /// The badge's id.
    pub badge_id: i64,
    /// The badge's name.
    pub badge_name: String,
    /// What it celebrates.
    pub description: String,
    /// What it takes, in words.
    pub criteria: String,
    /// The level held (1-based).
    pub level: i64,
    /// The threshold that level stands for (rule badges), with its unit.
    pub threshold: Option<(f64, String)>,
    /// Why a leader gave it, for badges given by hand.
    pub reason: String,
    /// The community that defined the badge: slug and name.
    pub community: (String, String),
    /// The holder: handle and name.
    pub holder: (String, String),
    /// When it was awarded.
    pub awarded_at: DateTime<Utc>,
    /// The verified contributions that reached the level.
    pub evidence: Vec<i64>,
}

impl AwardFacts {
    /// "Hours given · 50 hours", or the badge's name for single-level badges.
    pub fn title(&self) -> String {
        match &self.threshold {
            Some((t, unit)) if self.level > 1 || *t > 1.0 => {
                format!("{} · {} {unit}", self.badge_name, format_number(*t)).trim_end().to_owned()
            }
            _ => self.badge_name.clone(),
        }
    }
}

/// The instance as the issuer of credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuerProfile {
    /// The site's address without a trailing slash, e.g. `https://kindred.example.org`.
    pub base_url: String,
    /// The name credentials carry, e.g. "Kindred (kindred.example.org)".
    pub name: String,
}

impl IssuerProfile {
    /// The issuer's id: the URL of its profile.
    pub fn id(&self) -> String {
        format!("{}{ISSUER_PATH}", self.base_url)
    }

    /// The id (and holder's download address) of the credential for `award`.
    pub fn credential_id(&self, award: i64) -> String {
        format!("{}{CREDENTIALS_PATH}{award}", self.base_url)
    }

    /// The award a credential id names, if it is one of this issuer's.
    pub fn award_of(&self, credential_id: &str) -> Option<i64> {
        let prefix = format!("{}{CREDENTIALS_PATH}", self.base_url);
        credential_id.strip_prefix(&prefix)?.parse().ok()
    }

    /// The issuer's `Profile` document, served at its id.
    pub fn document(&self) -> Value {
        json!({
            "@context": CONTEXTS,
            "id": self.id(),
            "type": ["Profile"],
            "name": self.name,
            "url": self.base_url,
            "description": "Issues Open Badges for the verified work of the communities on this Kindred.",
        })
    }

    /// The `OpenBadgeCredential` for an award, with the registered JWT claims (`iss`,
    /// `nbf`, `jti`, `sub`) VC-JWT adds beside the credential's own members.
    pub fn credential(&self, award: &AwardFacts) -> Value {
        let base = &self.base_url;
        let (slug, community_name) = &award.community;
        let (handle, holder_name) = &award.holder;
        let id = self.credential_id(award.award_id);
        let subject_id = format!("{base}/u/{handle}");
        let achievement_id = format!("{base}/c/{slug}/badges/{}", award.badge_id);
        let description =
            if award.description.trim().is_empty() { &award.criteria } else { &award.description };
        let mut evidence: Vec<Value> = award
            .evidence
            .iter()
            .map(|entry| {
                json!({
                    "id": format!("{base}/u/{handle}/contributions#contribution-{entry}"),
                    "type": ["Evidence"],
                    "name": format!("Verified contribution #{entry}"),
                })
            })
            .collect();
        if !award.reason.trim().is_empty() {
            evidence.push(json!({ "type": ["Evidence"], "narrative": award.reason }));
        }
        let valid_from = award.awarded_at.to_rfc3339_opts(SecondsFormat::Secs, true);
        json!({
            "@context": CONTEXTS,
            "id": id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": award.title(),
            "issuer": { "id": self.id(), "type": ["Profile"], "name": self.name, "url": base },
            "validFrom": valid_from,
            "credentialSubject": {
                "id": subject_id,
                "type": ["AchievementSubject"],
                "identifier": [{
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": false,
                    "identityHash": holder_name,
                }],
                "achievement": {
                    "id": achievement_id,
                    "type": ["Achievement"],
                    "achievementType": "Badge",
                    "name": award.badge_name,
                    "description": description,
                    "criteria": { "id": achievement_id, "narrative": award.criteria },
                    "creator": {
                        "id": format!("{base}/c/{slug}"),
                        "type": ["Profile"],
                        "name": community_name,
                    },
                },
                "narrative": award.title(),
            },
            "evidence": evidence,
            "iss": self.id(),
            "nbf": award.awarded_at.timestamp(),
            "jti": id,
            "sub": subject_id,
        })
    }
}

/// One step of checking a credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckStep {
    /// What was checked: "Format", "Signature", "Issuer", "Status".
    pub label: String,
    /// Whether it passed.
    pub passed: bool,
    /// What was found, in words.
    pub detail: String,
}

/// What a credential claims, read from it once its signature checked out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialClaims {
    /// The credential's name (the badge and level).
    pub title: String,
    /// Who holds it.
    pub holder: String,
    /// The community that defined the badge.
    pub community: String,
    /// When it was awarded (`validFrom`).
    pub awarded: String,
    /// What the badge takes.
    pub criteria: String,
}

/// The result of checking a pasted credential on `/badges/verify`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialCheck {
    /// Whether every step passed: signed here, by this issuer, and not revoked.
    pub valid: bool,
    /// The steps in order; checking stops at the first that fails.
    pub steps: Vec<CheckStep>,
    /// What it claims, when the signature is good.
    pub claims: Option<CredentialClaims>,
}

impl CredentialCheck {
    /// A check that got as far as `steps` (all passed so far) and then failed at `label`.
    pub fn failed(mut steps: Vec<CheckStep>, label: &str, detail: impl Into<String>) -> Self {
        steps.push(CheckStep { label: label.to_owned(), passed: false, detail: detail.into() });
        CredentialCheck { valid: false, steps, claims: None }
    }
}

/// The passed step `label` with `detail`.
pub fn passed(label: &str, detail: impl Into<String>) -> CheckStep {
    CheckStep { label: label.to_owned(), passed: true, detail: detail.into() }
}

/// What the credential's members say, for people to read.
pub fn claims_of(credential: &Value) -> CredentialClaims {
    let text = |pointer: &str| {
        credential.pointer(pointer).and_then(Value::as_str).unwrap_or_default().to_owned()
    };
    CredentialClaims {
        title: text("/name"),
        holder: text("/credentialSubject/identifier/0/identityHash"),
        community: text("/credentialSubject/achievement/creator/name"),
        awarded: text("/validFrom"),
        criteria: text("/credentialSubject/achievement/criteria/narrative"),
    }
}

/// Whether `credential` calls itself an `OpenBadgeCredential` issued by `issuer_id`.
pub fn names_issuer(credential: &Value, issuer_id: &str) -> bool {
    let typed = credential
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|types| types.iter().any(|t| t == "OpenBadgeCredential"));
    let issuer = credential.pointer("/issuer/id").and_then(Value::as_str) == Some(issuer_id)
        && credential.get("iss").and_then(Value::as_str) == Some(issuer_id);
    typed && issuer
}

/// One of the holder's own awards on a badge's page: its export and its share link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnAward {
    /// The award.
    pub id: i64,
    /// "Hours given · 50 hours".
    pub title: String,
    /// The public page of the award, when its holder turned sharing on.
    pub share_url: Option<String>,
}

/// An award as its public share page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedAward {
    /// The badge and level.
    pub title: String,
    /// The badge's icon.
    pub icon: crate::domain::badges::BadgeIcon,
    /// What the badge celebrates.
    pub description: String,
    /// What it takes.
    pub criteria: String,
    /// Who holds it.
    pub holder: String,
    /// The community that gave it.
    pub community: String,
    /// When.
    pub awarded_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Where the signed credential can be downloaded.
    pub credential_path: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer() -> IssuerProfile {
        IssuerProfile { base_url: "https://k.example".into(), name: "Kindred (k.example)".into() }
    }

    fn award() -> AwardFacts {
        AwardFacts {
            award_id: 7,
            badge_id: 3,
            badge_name: "Hours given".into(),
            description: "Time given to the mission, verified.".into(),
            criteria: "Reach 10 / 50 / 100 verified hours.".into(),
            level: 2,
            threshold: Some((50.0, "hours".into())),
            reason: String::new(),
            community: ("river".into(), "River Keepers".into()),
            holder: ("ada".into(), "Ada L".into()),
            awarded_at: DateTime::parse_from_rfc3339("2026-11-30T10:00:00Z")
                .map(|t| t.with_timezone(&Utc))
                .unwrap(),
            evidence: vec![41, 42],
        }
    }

    #[test]
    fn a_credential_states_the_achievement_its_evidence_and_the_jwt_claims() {
        let c = issuer().credential(&award());
        assert_eq!(c["@context"][0], "https://www.w3.org/ns/credentials/v2");
        assert_eq!(c["type"][1], "OpenBadgeCredential");
        assert_eq!(c["id"], "https://k.example/badges/credentials/7");
        assert_eq!(c["jti"], c["id"]);
        assert_eq!(c["iss"], "https://k.example/badges/issuer");
        assert_eq!(c["issuer"]["id"], c["iss"]);
        assert_eq!(c["nbf"], 1_796_032_800);
        assert_eq!(c["validFrom"], "2026-11-30T10:00:00Z");
        assert_eq!(c["sub"], "https://k.example/u/ada");
        assert_eq!(c["name"], "Hours given · 50 hours");
        let achievement = &c["credentialSubject"]["achievement"];
        assert_eq!(achievement["id"], "https://k.example/c/river/badges/3");
        assert_eq!(achievement["criteria"]["narrative"], "Reach 10 / 50 / 100 verified hours.");
        assert_eq!(achievement["creator"]["name"], "River Keepers");
        assert_eq!(c["evidence"][1]["id"], "https://k.example/u/ada/contributions#contribution-42");
        assert!(names_issuer(&c, "https://k.example/badges/issuer"));
        assert!(!names_issuer(&c, "https://elsewhere.example/badges/issuer"));
        let claims = claims_of(&c);
        assert_eq!(claims.holder, "Ada L");
        assert_eq!(claims.community, "River Keepers");
    }

    #[test]
    fn a_badge_given_by_hand_carries_its_reason_as_evidence() {
        let mut given = award();
        given.evidence.clear();
        given.threshold = None;
        given.level = 1;
        given.reason = "Ran the spring clean-up".into();
        let c = issuer().credential(&given);
        assert_eq!(c["name"], "Hours given");
        assert_eq!(c["evidence"][0]["narrative"], "Ran the spring clean-up");
        assert_eq!(c["evidence"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn credential_ids_name_their_award_only_for_this_issuer() {
        let i = issuer();
        assert_eq!(i.award_of(&i.credential_id(12)), Some(12));
        assert_eq!(i.award_of("https://other.example/badges/credentials/12"), None);
        assert_eq!(i.award_of("https://k.example/badges/credentials/x"), None);
    }
}
