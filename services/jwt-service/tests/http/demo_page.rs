//! The browser demo at `GET /`: its assets and their security headers, and
//! `--demo-page false`. The page itself is driven in a real browser by tests/browser/.

use crate::harness::{Server, get};

#[test]
fn demo_page_assets_carry_a_strict_policy_and_no_inline_script() {
    let s = Server::start(&[]);
    let page = get(&s.url("/"), &[]);
    assert_eq!(page.status, 200, "{}", page.body);
    for (path, content_type) in [
        ("/", "text/html"),
        ("/demo.js", "text/javascript"),
        ("/demo.css", "text/css"),
    ] {
        let r = get(&s.url(path), &[]);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type")
                .is_some_and(|v| v.starts_with(content_type)),
            "{path}: {:?}",
            r.header("content-type")
        );
        let csp = r.header("content-security-policy").unwrap_or_default();
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'none'",
            "base-uri 'none'",
        ] {
            assert!(
                csp.contains(directive),
                "{path}: {directive} missing in {csp}"
            );
        }
        assert!(!csp.contains("unsafe"), "{path}: {csp}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{path}");
    }
    // No inline script or style: every <script> has a src, no event-handler attributes.
    let html = page.body.to_ascii_lowercase();
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty());
    for tag in scripts {
        let open = tag.split('>').next().unwrap_or_default();
        assert!(
            open.contains("src=\"/demo.js\""),
            "inline script: <script{open}>"
        );
        assert!(tag.contains("</script>"));
        assert!(
            tag.split('>')
                .nth(1)
                .is_some_and(|t| t.starts_with("</script"))
        );
    }
    assert!(!html.contains("<style") && !html.contains(" style="));
    assert!(
        !html.contains(" onclick=") && !html.contains(" onload=") && !html.contains(" onsubmit=")
    );
}

#[test]
fn demo_page_can_be_turned_off() {
    let s = Server::start(&["--demo-page", "false"]);
    for path in ["/", "/demo.js", "/demo.css"] {
        get(&s.url(path), &[]).expect_error(404, "not_found");
    }
    // The API is unaffected.
    get(&s.url("/healthz"), &[]).expect_ok();
}
