//! Open Badges 3.0: an award downloads as an `OpenBadgeCredential` VC-JWT that verifies
//! against the issuer's published key, `/api/badges/verify` catches tampering, forgery
//! and revocation, only the holder exports, share links are off until turned on, and the
//! signing key survives a restart.

use crate::common::texts;
use axum::http::StatusCode;
use ed25519_dalek::pkcs8::{EncodePrivateKey, KeypairBytes};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::Value;

use super::common::{TestApp, scalar};
use super::{river, verified_hours};

/// bob's "Hours given" award after 11 verified hours, and the contributions behind it.
async fn bobs_award(app: &TestApp, slug: &str, ada: &str, bob: &str) -> (String, Vec<i64>) {
    let first = verified_hours(app, slug, bob, ada, "6").await;
    let second = verified_hours(app, slug, bob, ada, "5").await;
    let award = scalar(
        app,
        "SELECT a.id FROM badge_awards a JOIN badges b ON b.id = a.badge_id
          WHERE b.name = 'Hours given'",
    )
    .await;
    (award.to_string(), vec![first, second])
}

async fn check(app: &TestApp, credential: &str) -> Value {
    let answer = app.call("/api/badges/verify", &[("credential", credential)], None).await;
    answer.assert_ok();
    answer.json()
}

fn failed_step(check: &Value) -> String {
    let steps = check["steps"].as_array().unwrap();
    let failed = steps.iter().find(|s| s["passed"] == false).expect("a failed step");
    failed["label"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_award_downloads_as_a_credential_signed_with_the_published_key() {
    let app = TestApp::new().await;
    let ([ada, bob, ..], slug) = river(&app).await;
    let (award, evidence) = bobs_award(&app, &slug, &ada, &bob).await;
    let path = format!("/badges/credentials/{award}");

    let download = app.get(&path, Some(&bob)).await;
    download.assert_ok();
    assert_eq!(download.headers["content-type"], "application/vc+jwt");
    assert!(download.headers["content-disposition"].to_str().unwrap().contains(".jwt"));
    let jwt = download.body.clone();

    // Anyone else, signed in or not, is told there is no such thing.
    app.get(&path, Some(&ada)).await.assert_status(StatusCode::NOT_FOUND);
    app.get(&path, None).await.assert_status(StatusCode::NOT_FOUND);
    app.get("/badges/credentials/9999", Some(&bob)).await.assert_status(StatusCode::NOT_FOUND);

    // A third party checks it with nothing but the issuer's published key.
    let profile = app.get("/badges/issuer", None).await;
    profile.assert_ok();
    let issuer_id = profile.json()["id"].as_str().unwrap().to_owned();
    assert!(issuer_id.ends_with("/badges/issuer"));
    let keys = app.get("/badges/issuer/jwks.json", None).await.json();
    let header = jsonwebtoken::decode_header(&jwt).unwrap();
    assert_eq!(header.alg, Algorithm::EdDSA);
    let kid = header.kid.unwrap();
    let key = keys["keys"].as_array().unwrap().iter().find(|k| k["kid"] == kid.as_str()).unwrap();
    assert_eq!(key["crv"], "Ed25519");
    let decoding = DecodingKey::from_ed_components(key["x"].as_str().unwrap()).unwrap();
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_required_spec_claims(&["iss", "nbf", "jti"]);
    validation.set_issuer(&[&issuer_id]);
    let credential = jsonwebtoken::decode::<Value>(&jwt, &decoding, &validation).unwrap().claims;

    assert_eq!(credential["type"][1], "OpenBadgeCredential");
    assert_eq!(
        credential["@context"][1],
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    );
    assert_eq!(credential["issuer"]["id"], issuer_id.as_str());
    assert!(credential["jti"].as_str().unwrap().ends_with(&path));
    assert!(credential["sub"].as_str().unwrap().ends_with("/u/bob"));
    let achievement = &credential["credentialSubject"]["achievement"];
    assert_eq!(achievement["name"], "Hours given");
    assert_eq!(achievement["criteria"]["narrative"], "Reach 10 / 50 / 100 verified hours.");
    assert_eq!(achievement["creator"]["name"], "River Keepers");
    let links: Vec<String> = credential["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().rsplit('#').next().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = evidence.iter().map(|id| format!("contribution-{id}")).collect();
    assert_eq!(links, expected);

    // Downloading again gives the same credential (nothing random, nothing stored).
    assert_eq!(app.get(&path, Some(&bob)).await.body, jwt);
}

#[tokio::test]
async fn verify_accepts_a_good_credential_and_names_what_is_wrong_with_a_bad_one() {
    let app = TestApp::new().await;
    let ([ada, bob, ..], slug) = river(&app).await;
    let (award, _) = bobs_award(&app, &slug, &ada, &bob).await;
    let jwt = app.get(&format!("/badges/credentials/{award}"), Some(&bob)).await.body;

    let good = check(&app, &jwt).await;
    assert_eq!(good["valid"], true, "{good}");
    let labels = texts(&good["steps"], "label");
    assert_eq!(labels, ["Format", "Signature", "Issuer", "Status"]);
    assert_eq!(good["claims"]["holder"], "Test Person");
    assert_eq!(good["claims"]["title"], "Hours given · 10 hours");
    // Pasted with line breaks, as a mail client may wrap it: still the same credential.
    let wrapped = format!("{}\n{}", &jwt[..40], &jwt[40..]);
    assert_eq!(check(&app, &wrapped).await["valid"], true);

    // A changed claim breaks the signature.
    let parts: Vec<&str> = jwt.split('.').collect();
    let mut payload: Vec<char> = parts[1].chars().collect();
    payload[30] = if payload[30] == 'A' { 'B' } else { 'A' };
    let tampered = format!("{}.{}.{}", parts[0], payload.into_iter().collect::<String>(), parts[2]);
    let bad = check(&app, &tampered).await;
    assert_eq!((bad["valid"].clone(), failed_step(&bad)), (Value::Bool(false), "Signature".into()));

    // A forger who copies the key id but signs with their own key is caught.
    let header = jsonwebtoken::decode_header(&jwt).unwrap();
    let mut forged_header = Header::new(Algorithm::EdDSA);
    forged_header.kid = header.kid.clone();
    let der = KeypairBytes { secret_key: [7u8; 32], public_key: None }.to_pkcs8_der().unwrap();
    let claims: Value = jsonwebtoken::dangerous::insecure_decode(&jwt).unwrap().claims;
    let forged =
        jsonwebtoken::encode(&forged_header, &claims, &EncodingKey::from_ed_der(der.as_bytes()))
            .unwrap();
    assert_eq!(failed_step(&check(&app, &forged).await), "Signature");

    // Not a credential at all; nothing pasted.
    assert_eq!(failed_step(&check(&app, "hello there").await), "Format");
    app.call("/api/badges/verify", &[("credential", "  ")], None)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    // Revoked: the credential still checks out as ours, but no longer stands; the holder
    // can no longer download it.
    app.post(
        "/api/badges/revoke",
        &ada,
        &[("slug", &slug), ("award", &award), ("reason", "Hours logged twice")],
    )
    .await
    .assert_ok();
    let revoked = check(&app, &jwt).await;
    assert_eq!(failed_step(&revoked), "Status");
    let status = revoked["steps"][3]["detail"].as_str().unwrap();
    assert!(status.starts_with("Revoked on") && status.contains("Hours logged twice"), "{status}");
    app.get(&format!("/badges/credentials/{award}"), Some(&bob))
        .await
        .assert_status(StatusCode::CONFLICT);
}

#[tokio::test]
async fn share_links_are_off_until_the_holder_turns_them_on() {
    let app = TestApp::new().await;
    let ([ada, bob, ..], slug) = river(&app).await;
    let (award, _) = bobs_award(&app, &slug, &ada, &bob).await;
    let badge = scalar(&app, "SELECT id FROM badges WHERE name = 'Hours given'").await.to_string();
    let mine = |cookie: String| {
        let (app, slug, badge) = (&app, slug.clone(), badge.clone());
        async move {
            let form = [("slug", slug.as_str()), ("id", badge.as_str())];
            app.call("/api/badges/get", &form, Some(&cookie)).await.json()["mine"].clone()
        }
    };
    assert_eq!(mine(bob.clone()).await[0]["share_url"], Value::Null);
    assert_eq!(mine(ada.clone()).await, serde_json::json!([]));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM badge_awards WHERE share_token IS NOT NULL").await,
        0
    );

    // Only the holder turns it on.
    let share = [("award", award.as_str()), ("share", "true")];
    app.post("/api/badges/share", &ada, &share).await.assert_status(StatusCode::NOT_FOUND);
    app.call("/api/badges/share", &share, None).await.assert_status(StatusCode::UNAUTHORIZED);
    app.post("/api/badges/share", &bob, &share).await.assert_ok();
    let url = mine(bob.clone()).await[0]["share_url"].as_str().unwrap().to_owned();
    let token = url.rsplit('/').next().unwrap().to_owned();

    // Anyone with the link sees the award and can take its credential to check.
    let shared = app.call("/api/badges/shared", &[("token", &token)], None).await;
    shared.assert_ok();
    assert_eq!(shared.json()["title"], "Hours given · 10 hours");
    let jwt = app.get(&format!("/badges/shared/{token}/credential.jwt"), None).await;
    jwt.assert_ok();
    assert_eq!(check(&app, &jwt.body).await["valid"], true);
    let page = app.get(&format!("/badges/shared/{token}"), None).await;
    page.assert_ok();
    assert!(page.body.contains("Awarded to Test Person by River Keepers"), "{}", page.body);

    // Turned off, the link stops working.
    let unshare = [("award", award.as_str()), ("share", "false")];
    app.post("/api/badges/share", &bob, &unshare).await.assert_ok();
    app.call("/api/badges/shared", &[("token", &token)], None)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.get(&format!("/badges/shared/{token}/credential.jwt"), None)
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_signing_key_is_made_once_and_kept() {
    let app = TestApp::new().await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM issuer_keys").await, 1);
    let before = app.state.issuer.signing_kid().to_owned();
    let profile = app.state.issuer.profile().clone();
    let again = app::services::credentials::Issuer::start(&app.db, profile).await.unwrap();
    assert_eq!(again.signing_kid(), before);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM issuer_keys").await, 1);
}
