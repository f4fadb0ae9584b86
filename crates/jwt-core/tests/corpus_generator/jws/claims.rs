//! Registered claims and the validation rules applied to them.

use super::*;

pub(super) fn claim_rules(g: &mut Gen) {
    use Algorithm::HS256;
    let hs = |g: &mut Gen| vec![g.hmac("hs256", HS256)];
    let case = |g: &mut Gen,
                id: &str,
                desc: &str,
                edit: &dyn Fn(&mut Map<String, Value>),
                validation: Value,
                now: Option<i64>,
                expect: Expect| {
        let mut c = base_claims();
        edit(c.as_object_mut().unwrap());
        let token = g.token("hs256", HS256, None, &c);
        let keys = hs(g);
        g.push_at(id, desc, keys, &token, validation, now, expect);
    };
    let v = base_validation;
    let with = |extra: Value| {
        let mut b = base_validation();
        for (k, x) in extra.as_object().unwrap() {
            b[k] = x.clone();
        }
        b
    };
    // exp
    case(
        g,
        "claim-exp-expired",
        "exp in the past",
        &|c| {
            c.insert("exp".into(), (NOW - 1).into());
        },
        v(),
        None,
        err("token_expired"),
    );
    case(
        g,
        "claim-exp-boundary",
        "exp equal to now is expired",
        &|c| {
            c.insert("exp".into(), NOW.into());
        },
        v(),
        None,
        err("token_expired"),
    );
    case(
        g,
        "claim-exp-leeway",
        "exp 5 s ago is accepted with a 10 s leeway",
        &|c| {
            c.insert("exp".into(), (NOW - 5).into());
        },
        with(json!({"leeway": 10})),
        None,
        ok(),
    );
    case(
        g,
        "claim-exp-beyond-leeway",
        "exp 30 s ago is rejected with a 10 s leeway",
        &|c| {
            c.insert("exp".into(), (NOW - 30).into());
        },
        with(json!({"leeway": 10})),
        None,
        err("token_expired"),
    );
    case(
        g,
        "claim-exp-missing",
        "exp is required by default",
        &|c| {
            c.remove("exp");
        },
        v(),
        None,
        err("missing_claim"),
    );
    case(
        g,
        "claim-exp-string",
        "a string exp is an error, not a missing exp (CVE-2026-25537)",
        &|c| {
            c.insert("exp".into(), (NOW + 600).to_string().into());
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-exp-string-not-required",
        "a string exp is an error even when exp is not required",
        &|c| {
            c.insert("exp".into(), "never".into());
        },
        with(json!({"required_claims": []})),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-exp-absurd",
        "an absurdly large exp is an error",
        &|c| {
            c.insert("exp".into(), json!(1e300));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-exp-negative",
        "a negative exp is an error",
        &|c| {
            c.insert("exp".into(), json!(-1));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-exp-null",
        "a null exp is an error",
        &|c| {
            c.insert("exp".into(), Value::Null);
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-exp-fractional",
        "a fractional exp in the future is accepted",
        &|c| {
            c.insert("exp".into(), json!(1_700_000_600.5));
        },
        v(),
        None,
        ok(),
    );
    case(
        g,
        "claim-exp-clock-override",
        "the per-case clock makes a valid token expired",
        &|_| {},
        v(),
        Some(NOW + 601),
        err("token_expired"),
    );
    // nbf
    case(
        g,
        "claim-nbf-future",
        "nbf in the future",
        &|c| {
            c.insert("nbf".into(), (NOW + 100).into());
        },
        v(),
        None,
        err("token_not_yet_valid"),
    );
    case(
        g,
        "claim-nbf-leeway",
        "nbf 5 s ahead is accepted with a 10 s leeway",
        &|c| {
            c.insert("nbf".into(), (NOW + 5).into());
        },
        with(json!({"leeway": 10})),
        None,
        ok(),
    );
    case(
        g,
        "claim-nbf-now",
        "nbf equal to now is accepted",
        &|c| {
            c.insert("nbf".into(), NOW.into());
        },
        v(),
        None,
        ok(),
    );
    case(
        g,
        "claim-nbf-string",
        "a string nbf is an error",
        &|c| {
            c.insert("nbf".into(), "0".into());
        },
        v(),
        None,
        err("invalid_claim"),
    );
    // iat
    case(
        g,
        "claim-iat-future",
        "iat in the future beyond leeway",
        &|c| {
            c.insert("iat".into(), (NOW + 100).into());
        },
        v(),
        None,
        err("token_issued_in_future"),
    );
    case(
        g,
        "claim-iat-future-leeway",
        "iat 5 s ahead is accepted with a 10 s leeway",
        &|c| {
            c.insert("iat".into(), (NOW + 5).into());
        },
        with(json!({"leeway": 10})),
        None,
        ok(),
    );
    case(
        g,
        "claim-iat-bool",
        "a boolean iat is an error",
        &|c| {
            c.insert("iat".into(), true.into());
        },
        v(),
        None,
        err("invalid_claim"),
    );
    // max age
    case(
        g,
        "claim-max-age-ok",
        "iat 60 s ago within a 300 s max age",
        &|_| {},
        with(json!({"max_age": 300})),
        None,
        ok(),
    );
    case(
        g,
        "claim-max-age-too-old",
        "iat 60 s ago beyond a 30 s max age",
        &|_| {},
        with(json!({"max_age": 30})),
        None,
        err("token_too_old"),
    );
    case(
        g,
        "claim-max-age-needs-iat",
        "max age requires iat",
        &|c| {
            c.remove("iat");
        },
        with(json!({"max_age": 300})),
        None,
        err("missing_claim"),
    );
    // iss
    case(
        g,
        "claim-iss-wrong",
        "another issuer",
        &|c| {
            c.insert("iss".into(), "https://evil.example".into());
        },
        v(),
        None,
        err("invalid_issuer"),
    );
    case(
        g,
        "claim-iss-prefix",
        "an issuer that extends the expected one is not a match",
        &|c| {
            c.insert("iss".into(), format!("{ISS}.evil").into());
        },
        v(),
        None,
        err("invalid_issuer"),
    );
    case(
        g,
        "claim-iss-substring",
        "a substring of the expected issuer is not a match (CVE-2024-53861)",
        &|c| {
            c.insert("iss".into(), "issuer".into());
        },
        v(),
        None,
        err("invalid_issuer"),
    );
    case(
        g,
        "claim-iss-case",
        "issuer comparison is case-sensitive",
        &|c| {
            c.insert("iss".into(), ISS.to_uppercase().into());
        },
        v(),
        None,
        err("invalid_issuer"),
    );
    case(
        g,
        "claim-iss-missing",
        "an expected issuer must be present",
        &|c| {
            c.remove("iss");
        },
        v(),
        None,
        err("missing_claim"),
    );
    case(
        g,
        "claim-iss-array",
        "iss must be a string",
        &|c| {
            c.insert("iss".into(), json!([ISS]));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-iss-one-of-many",
        "any of several accepted issuers",
        &|_| {},
        with(json!({"issuer": ["https://other.example", ISS]})),
        None,
        ok(),
    );
    // aud
    case(
        g,
        "claim-aud-array",
        "aud array containing the expected audience",
        &|c| {
            c.insert("aud".into(), json!(["other", AUD]));
        },
        v(),
        None,
        ok(),
    );
    case(
        g,
        "claim-aud-wrong",
        "another audience",
        &|c| {
            c.insert("aud".into(), "api://other".into());
        },
        v(),
        None,
        err("invalid_audience"),
    );
    case(
        g,
        "claim-aud-prefix",
        "an audience that extends the expected one is not a match",
        &|c| {
            c.insert("aud".into(), format!("{AUD}x").into());
        },
        v(),
        None,
        err("invalid_audience"),
    );
    case(
        g,
        "claim-aud-array-wrong",
        "aud array without the expected audience",
        &|c| {
            c.insert("aud".into(), json!(["a", "b"]));
        },
        v(),
        None,
        err("invalid_audience"),
    );
    case(
        g,
        "claim-aud-missing",
        "an expected audience must be present",
        &|c| {
            c.remove("aud");
        },
        v(),
        None,
        err("missing_claim"),
    );
    case(
        g,
        "claim-aud-unexpected",
        "a token with aud is rejected when no audience is configured (RFC 7519 4.1.3)",
        &|_| {},
        json!({"issuer": [ISS]}),
        None,
        err("invalid_audience"),
    );
    case(
        g,
        "claim-aud-number",
        "aud must be a string or an array of strings",
        &|c| {
            c.insert("aud".into(), json!(42));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-aud-array-number",
        "aud array members must be strings",
        &|c| {
            c.insert("aud".into(), json!([AUD, 1]));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    // sub, jti
    case(
        g,
        "claim-sub-match",
        "required subject matches",
        &|_| {},
        with(json!({"subject": "user-1"})),
        None,
        ok(),
    );
    case(
        g,
        "claim-sub-wrong",
        "required subject differs",
        &|_| {},
        with(json!({"subject": "user-2"})),
        None,
        err("invalid_subject"),
    );
    case(
        g,
        "claim-sub-number",
        "sub must be a string",
        &|c| {
            c.insert("sub".into(), json!(1));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-jti-object",
        "jti must be a string",
        &|c| {
            c.insert("jti".into(), json!({}));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    // required and exact-value claims
    case(
        g,
        "claim-required-present",
        "a required custom claim is present",
        &|_| {},
        with(json!({"required_claims": ["exp", "role"]})),
        None,
        ok(),
    );
    case(
        g,
        "claim-required-missing",
        "a required registered claim is absent",
        &|_| {},
        with(json!({"required_claims": ["exp", "jti"]})),
        None,
        err("missing_claim"),
    );
    case(
        g,
        "claim-required-custom-missing",
        "a required custom claim is absent",
        &|_| {},
        with(json!({"required_claims": ["exp", "tenant"]})),
        None,
        err("missing_claim"),
    );
    case(
        g,
        "claim-equal-match",
        "an exact-value claim matches",
        &|_| {},
        with(json!({"claims_equal": {"role": "reader"}})),
        None,
        ok(),
    );
    case(
        g,
        "claim-equal-mismatch",
        "an exact-value claim differs",
        &|_| {},
        with(json!({"claims_equal": {"role": "admin"}})),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-equal-type",
        "an exact-value claim compares JSON types too",
        &|c| {
            c.insert("level".into(), json!("1"));
        },
        with(json!({"claims_equal": {"level": 1}})),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-equal-missing",
        "an exact-value claim is absent",
        &|_| {},
        with(json!({"claims_equal": {"tenant": "t1"}})),
        None,
        err("missing_claim"),
    );
    // payload shape
    let token = g.sign(
        "hs256",
        HS256,
        &common::header(HS256, None),
        &format!(r#"{{"exp":{},"sub":"a","sub":"b"}}"#, NOW + 60),
    );
    let keys = hs(g);
    g.push(
        "parse-payload-duplicate-member",
        "duplicate member in the payload (parser differentials)",
        keys,
        &token,
        json!({}),
        err("duplicate_member"),
    );
    let token = g.sign(
        "hs256",
        HS256,
        &common::header(HS256, None),
        &format!(r#"{{"exp":{},"exp":{}}}"#, NOW - 60, NOW + 60),
    );
    let keys = hs(g);
    g.push(
        "parse-payload-duplicate-exp",
        "two exp members: never last-one-wins",
        keys,
        &token,
        json!({}),
        err("duplicate_member"),
    );
    let token = g.sign("hs256", HS256, &common::header(HS256, None), "[1,2]");
    let keys = hs(g);
    g.push(
        "parse-payload-not-object",
        "the payload must be a JSON object",
        keys,
        &token,
        json!({}),
        err("malformed_token"),
    );
    let token = g.sign(
        "hs256",
        HS256,
        &common::header(HS256, None),
        &format!(r#"{{"exp":{}}} x"#, NOW + 60),
    );
    let keys = hs(g);
    g.push(
        "parse-payload-trailing",
        "trailing data after the payload object",
        keys,
        &token,
        json!({}),
        err("malformed_token"),
    );
    let token = g.sign_raw(
        "hs256",
        HS256,
        &b64_encode(common::header(HS256, None)),
        &b64_encode(b"{\"exp\":1,\"x\":\"\xff\"}"),
    );
    let keys = hs(g);
    g.push(
        "parse-payload-invalid-utf8",
        "the payload must be valid UTF-8",
        keys,
        &token,
        json!({}),
        err("malformed_token"),
    );
    let deep = format!(
        r#"{{"exp":{},"d":{}1{}}}"#,
        NOW + 60,
        "[".repeat(40),
        "]".repeat(40)
    );
    let token = g.sign("hs256", HS256, &common::header(HS256, None), &deep);
    let keys = hs(g);
    g.push(
        "parse-payload-too-deep",
        "payload nesting beyond the default depth of 32",
        keys,
        &token,
        json!({}),
        err("malformed_token"),
    );
}
