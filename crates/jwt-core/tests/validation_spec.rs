//! `ValidationSpec`: options as data give exactly the `Validation` the builders give, and
//! an unknown or mistyped option is an error, never a silently weaker check.

mod common;

use common::{NOW, craft, header, key};
use jwt_core::{
    Algorithm, Error, KidPolicy, Limits, OneOrMany, Validation, ValidationSpec, Verifier,
};
use serde_json::json;

use Algorithm::*;

/// The outcome (`"ok"` or the error code) of verifying `claims` (HS256) under `spec`.
fn outcome(spec: serde_json::Value, claims: serde_json::Value) -> String {
    outcome_with(spec, &header(HS256, None), claims)
}

fn outcome_with(spec: serde_json::Value, header: &str, claims: serde_json::Value) -> String {
    let token = craft(key(HS256), header, &claims.to_string());
    let run = || -> Result<(), Error> {
        let v = ValidationSpec::from_value(spec)?.build()?;
        let verifier = Verifier::new(key(HS256).verifying_key(), v)?;
        verifier.verify::<serde_json::Value>(&token).map(|_| ())
    };
    match run() {
        Ok(()) => "ok".into(),
        Err(e) => e.code().into(),
    }
}

#[test]
fn every_member_reaches_the_validation() {
    let exp = NOW + 60;
    let base = json!({"now": NOW});
    let with = |extra: serde_json::Value| {
        let mut s = base.clone();
        s.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        s
    };
    let claims = json!({"exp": exp, "iss": "a", "aud": ["x", "y"], "sub": "s", "iat": NOW - 100, "role": "r"});
    let cases = [
        (json!({}), "ok"),
        (json!({"issuer": "a", "audience": "y"}), "ok"),
        (json!({"issuer": ["b", "a"], "audience": ["z", "x"]}), "ok"),
        (json!({"issuer": "b", "audience": "x"}), "invalid_issuer"),
        (json!({"audience": "z"}), "invalid_audience"),
        (json!({"subject": "t"}), "invalid_subject"),
        (json!({"algorithms": ["HS384"]}), "invalid_argument"),
        (json!({"algorithms": ["none"]}), "unsupported_algorithm"),
        (json!({"required_claims": ["jti"]}), "missing_claim"),
        (json!({"max_age": 50}), "token_too_old"),
        (json!({"max_age": 50, "leeway": 60}), "ok"),
        (json!({"typ": "at+jwt"}), "invalid_type"),
        (json!({"claims_equal": {"role": "admin"}}), "invalid_claim"),
        (json!({"claims_equal": {"role": "r"}}), "ok"),
        (json!({"now": exp + 1}), "token_expired"),
        (json!({"now": exp + 1, "verify_exp": false}), "ok"),
        (
            json!({"limits": {"max_token_bytes": 10}}),
            "input_too_large",
        ),
    ];
    for (extra, want) in cases {
        let spec = with(extra.clone());
        let mut claims = claims.clone();
        if extra.get("audience").is_none() && extra.get("verify_aud").is_none() {
            claims.as_object_mut().unwrap().remove("aud");
        }
        assert_eq!(outcome(spec, claims), want, "{extra}");
    }
    // `verify_aud: false` skips the audience check entirely.
    assert_eq!(
        outcome(with(json!({})), json!({"exp": exp, "aud": "x"})),
        "invalid_audience"
    );
    assert_eq!(
        outcome(
            with(json!({"verify_aud": false})),
            json!({"exp": exp, "aud": "x"})
        ),
        "ok"
    );
    // nbf / iat in the future, and their switches.
    let future = json!({"exp": exp, "nbf": NOW + 30, "iat": NOW + 30});
    assert_eq!(
        outcome(with(json!({})), future.clone()),
        "token_not_yet_valid"
    );
    assert_eq!(
        outcome(with(json!({"verify_nbf": false})), future.clone()),
        "token_issued_in_future"
    );
    assert_eq!(
        outcome(
            with(json!({"verify_nbf": false, "verify_iat": false})),
            future
        ),
        "ok"
    );
    // `crit` extensions must be declared.
    let crit = r#"{"alg":"HS256","crit":["x-ext"],"x-ext":1}"#;
    assert_eq!(
        outcome_with(with(json!({})), crit, json!({"exp": exp})),
        "unsupported_critical_header"
    );
    assert_eq!(
        outcome_with(
            with(json!({"critical": ["x-ext"]})),
            crit,
            json!({"exp": exp})
        ),
        "ok"
    );
    // The kid policy.
    let kid = &header(HS256, Some("elsewhere"));
    assert_eq!(
        outcome_with(with(json!({})), kid, json!({"exp": exp})),
        "key_not_found"
    );
    assert_eq!(
        outcome_with(
            with(json!({"kid_policy": "lenient"})),
            kid,
            json!({"exp": exp})
        ),
        "ok"
    );
}

#[test]
fn verify_exp_false_stops_requiring_exp_unless_required_claims_says_so() {
    let spec = json!({"now": NOW, "verify_exp": false});
    assert_eq!(outcome(spec, json!({"sub": "s"})), "ok");
    let spec = json!({"now": NOW, "verify_exp": false, "required_claims": ["exp"]});
    assert_eq!(outcome(spec, json!({"sub": "s"})), "missing_claim");
    assert_eq!(
        outcome(json!({"now": NOW}), json!({"sub": "s"})),
        "missing_claim"
    );
}

#[test]
fn unknown_or_mistyped_options_are_errors() {
    for bad in [
        json!({"isuer": "a"}),
        json!({"leeway": -1}),
        json!({"leeway": "5"}),
        json!({"issuer": 3}),
        json!({"kid_policy": "loose"}),
        json!({"limits": {"max_tokens": 1}}),
        json!([]),
    ] {
        let e = ValidationSpec::from_value(bad.clone()).unwrap_err();
        assert_eq!(e.code(), "invalid_argument", "{bad}");
    }
    for text in [
        "{",
        r#"{"issuer": "a", "issuer": "b"}"#,
        r#"{"claims_equal": {"r": 1, "r": 2}}"#,
        "[]",
    ] {
        assert_eq!(
            ValidationSpec::from_json(text).unwrap_err().code(),
            "invalid_argument",
            "{text}"
        );
    }
}

#[test]
fn the_spec_round_trips_and_fills_from_rust() {
    let mut spec = ValidationSpec::default();
    spec.issuer = Some("a".into());
    spec.audience = Some(OneOrMany::Many(vec!["x".into(), "y".into()]));
    spec.kid_policy = Some(KidPolicy::Lenient);
    spec.limits = Some(Limits {
        max_key_candidates: 2,
        ..Limits::default()
    });
    let text = serde_json::to_string(&spec).unwrap();
    assert_eq!(ValidationSpec::from_json(&text).unwrap(), spec);
    // Absent members are not written, so a spec serializes to what a user would write.
    assert_eq!(
        serde_json::to_value(ValidationSpec::default()).unwrap(),
        json!({})
    );
    let v: Validation = (&spec).try_into().unwrap();
    assert_eq!(v.get_limits().max_key_candidates, 2);
    // A partial `limits` keeps the other defaults.
    let spec = ValidationSpec::from_json(r#"{"limits": {"max_json_depth": 4}}"#).unwrap();
    let l = spec.build().unwrap().get_limits();
    assert_eq!(
        (l.max_json_depth, l.max_token_bytes),
        (4, Limits::default().max_token_bytes)
    );
    assert_eq!(OneOrMany::from("a").to_vec(), ["a"]);
}
