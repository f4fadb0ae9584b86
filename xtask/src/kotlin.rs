//! The kotlin area: the uniffi bindings (`bindings/uniffi`) for Kotlin (JVM, Android) and
//! Swift (iOS, macOS).
//!
//! * `test`: one cargo invocation builds `jwt-core-uniffi` and the workspace
//!   `uniffi-bindgen` (debug, never release: bindgen takes minutes in release); the built
//!   bindgen generates Kotlin in library mode into `target/uniffi/kotlin`; the Swift
//!   sources committed under `bindings/uniffi/swift` are checked for drift; then Maven
//!   compiles the generated Kotlin and runs the JUnit suite (API, attacks, corpus)
//!   against the cdylib through JNA.
//! * `bench`: release cdylib, then the JVM benchmark against nimbus-jose-jwt and
//!   java-jwt; prints ratios and rewrites the JVM section of `docs/performance.md`.
//! * `dist`: `target/dist/jwt-core-kotlin-<version>.jar` with the Kotlin classes and
//!   `linux-x86-64/libjwt_core_uniffi.so` inside (JNA's resource layout), checked by
//!   running the `docs/kotlin.md` example against it with only JNA and kotlin-stdlib on
//!   the class path; the Swift package sources into `target/dist/swift`. Where the
//!   tools exist it also builds the Android AAR layout
//!   (`cargo ndk`, `ANDROID_NDK_HOME`) and the Swift XCFramework (macOS `xcodebuild`);
//!   elsewhere it says why they were skipped.
//! * `codegen`: regenerate the committed Swift sources, header and modulemap;
//!   `--check` fails when they drift from the Rust API.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Ctx, Result, have, output, run, step};

const CRATE: &str = "jwt-core-uniffi";
const BINDGEN_CRATE: &str = "jwt-core-uniffi-bindgen";
const LIB: &str = "jwt_core_uniffi";
const VERSION: &str = "0.1.0";
/// Android ABIs built by `cargo ndk` (jniLibs folder names).
const ANDROID_ABIS: &[&str] = &["arm64-v8a", "armeabi-v7a", "x86_64", "x86"];
/// Apple targets whose static libraries go into the XCFramework.
const APPLE_TARGETS: &[&str] = &[
    "aarch64-apple-ios",
    "aarch64-apple-ios-sim",
    "x86_64-apple-ios",
    "aarch64-apple-darwin",
    "x86_64-apple-darwin",
];

/// Paths of the area.
struct Paths {
    maven: PathBuf,
    swift: PathBuf,
    generated_kotlin: PathBuf,
    corpus: PathBuf,
}

impl Paths {
    fn new(ctx: &Ctx) -> Self {
        let uniffi = ctx.root.join("bindings/uniffi");
        Paths {
            maven: uniffi.join("kotlin"),
            swift: uniffi.join("swift"),
            generated_kotlin: ctx.target.join("uniffi/kotlin"),
            corpus: ctx.root.join("crates/jwt-core/tests/corpus/corpus.json"),
        }
    }
}

/// `libjwt_core_uniffi.so` (or `.dylib`) in `target/<profile>`.
fn cdylib(ctx: &Ctx, profile: &str) -> PathBuf {
    ctx.target.join(profile).join(format!(
        "{}{LIB}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    ))
}

/// Build the bindings crate and the bindgen binary in ONE cargo invocation (debug), so
/// shared crates are built once with one feature set.
fn build_debug(ctx: &Ctx) -> Result {
    step("kotlin: cargo build -p jwt-core-uniffi -p jwt-core-uniffi-bindgen (debug)");
    ctx.cargo(&["build", "-p", CRATE, "-p", BINDGEN_CRATE])
}

/// A bindgen binary built by [`build_debug`] (`uniffi-bindgen`, `uniffi-bindgen-swift`).
fn bindgen_bin(ctx: &Ctx, name: &str) -> PathBuf {
    ctx.target
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// An empty `out`, so no file of an earlier generation survives.
fn fresh_dir(out: &Path) -> Result {
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))
}

/// Run the built bindgen in library mode.
fn bindgen(ctx: &Ctx, language: &str, library: &Path, out: &Path) -> Result {
    fresh_dir(out)?;
    run(Command::new(bindgen_bin(ctx, "uniffi-bindgen"))
        .args(["generate", "--library"])
        .arg(library)
        .args(["--language", language, "--no-format", "--out-dir"])
        .arg(out)
        .current_dir(&ctx.root))
}

/// The generated Kotlin file (library mode names it after the crate).
fn generated_kotlin_file(p: &Paths) -> PathBuf {
    p.generated_kotlin.join(format!("dev/jwtcore/{LIB}.kt"))
}

/// What the JVM fast path (`bindings/uniffi/src/fast.rs`, `FastVerify.kt`) puts in front
/// of the generated `Verifier.verify`: the public methods call `FastVerify` with the
/// object's handle lent (kept alive by the same call counter as `callWithHandle`, not
/// cloned across JNA); the generated uniffi methods stay as `uniffiVerify` and
/// `uniffiVerifyAt`, which the tests compare the fast path against.
const FAST_VERIFY_KOTLIN: &str = r#"    /**
     * Verify a compact JWT now.
     */
    @Throws(JwtException::class)override fun `verify`(`token`: kotlin.String): VerifiedToken =
        uniffiFastVerify(`token`, 0L, false)

    /**
     * Verify a compact JWT as of `now` (seconds since the epoch).
     */
    @Throws(JwtException::class)override fun `verifyAt`(`token`: kotlin.String, `now`: kotlin.Long): VerifiedToken =
        uniffiFastVerify(`token`, `now`, true)

    // jwt-core (patched in by `cargo xtask`): keeps the object alive like `callWithHandle`
    // but lends its handle instead of cloning it, then makes one JNA call (FastVerify.kt).
    private fun uniffiFastVerify(token: String, now: Long, hasNow: Boolean): VerifiedToken {
        do {
            val c = this.callCounter.get()
            if (c == 0L) {
                throw IllegalStateException("${this.javaClass.simpleName} object has already been destroyed")
            }
            if (c == Long.MAX_VALUE) {
                throw IllegalStateException("${this.javaClass.simpleName} call counter would overflow")
            }
        } while (! this.callCounter.compareAndSet(c, c + 1L))
        try {
            return FastVerify.verify(this.handle, token, now, hasNow)
        } finally {
            if (this.callCounter.decrementAndGet() == 0L) {
                cleanable?.clean()
            }
        }
    }

"#;

/// Put the JVM fast path in front of the generated `Verifier.verify`/`verifyAt` (see
/// [`FAST_VERIFY_KOTLIN`]). Fails when the generated text is not exactly what this was
/// written against (a uniffi upgrade), rather than silently keeping the slow path.
fn patch_fast_verify(p: &Paths) -> Result {
    let file = generated_kotlin_file(p);
    let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let verify = "@Throws(JwtException::class)override fun `verify`(`token`: kotlin.String): VerifiedToken {";
    let verify_at = "@Throws(JwtException::class)override fun `verifyAt`(`token`: kotlin.String, `now`: kotlin.Long): VerifiedToken {";
    for needle in [verify, verify_at] {
        if text.matches(needle).count() != 1 {
            return Err(format!(
                "cannot patch the Kotlin fast path: `{needle}` is not in the generated {} exactly once (uniffi changed?)",
                file.display()
            ));
        }
    }
    let text = text
        .replacen(
            verify,
            &format!(
                "{}    @Throws(JwtException::class)internal fun `uniffiVerify`(`token`: kotlin.String): VerifiedToken {{",
                FAST_VERIFY_KOTLIN.trim_start()
            ),
            1,
        )
        .replacen(
            verify_at,
            "@Throws(JwtException::class)internal fun `uniffiVerifyAt`(`token`: kotlin.String, `now`: kotlin.Long): VerifiedToken {",
            1,
        );
    fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))
}

/// Generate the Kotlin (library mode) and patch in the JVM fast path.
fn kotlin_codegen(ctx: &Ctx, p: &Paths) -> Result {
    bindgen(ctx, "kotlin", &cdylib(ctx, "debug"), &p.generated_kotlin)?;
    patch_fast_verify(p)
}

/// The Swift files uniffi generates and where they are committed: the bindings'
/// `JwtCore.swift` and the core's own enums' `JwtCoreTypes.swift` (its `uniffi` feature,
/// see crates/jwt-core/uniffi.toml), both in the `JwtCore` Swift module; their two
/// headers and the one modulemap of the `JwtCoreFFI` C module that names both.
fn swift_files(p: &Paths) -> [(&'static str, PathBuf); 5] {
    let sources = p.swift.join("Sources/JwtCore");
    let ffi = p.swift.join("Sources/JwtCoreFFI");
    [
        ("JwtCore.swift", sources.join("JwtCore.swift")),
        ("JwtCoreTypes.swift", sources.join("JwtCoreTypes.swift")),
        ("JwtCoreFFI.h", ffi.join("JwtCoreFFI.h")),
        ("JwtCoreTypesFFI.h", ffi.join("JwtCoreTypesFFI.h")),
        ("JwtCoreFFI.modulemap", ffi.join("JwtCoreFFI.modulemap")),
    ]
}

/// The Swift-specific bindgen (`uniffi-bindgen-swift`): unlike `uniffi-bindgen generate`
/// it writes ONE modulemap over the headers of every crate in the library.
fn swift_bindgen(ctx: &Ctx, library: &Path, out: &Path) -> Result {
    fresh_dir(out)?;
    run(Command::new(bindgen_bin(ctx, "uniffi-bindgen-swift"))
        .args(["--swift-sources", "--headers", "--modulemap"])
        .args(["--module-name", "JwtCoreFFI"])
        .args(["--modulemap-filename", "JwtCoreFFI.modulemap"])
        .arg(library)
        .arg(out)
        .current_dir(&ctx.root))
}

/// Generate Swift into `target/uniffi/swift` and compare with (or copy to) the
/// committed files.
fn swift_codegen(ctx: &Ctx, p: &Paths, check: bool) -> Result {
    let out = ctx.target.join("uniffi/swift");
    swift_bindgen(ctx, &cdylib(ctx, "debug"), &out)?;
    let mut drift = Vec::new();
    for (name, committed) in swift_files(p) {
        let fresh =
            fs::read(out.join(name)).map_err(|e| format!("bindgen did not write {name}: {e}"))?;
        if fs::read(&committed).ok().as_deref() == Some(fresh.as_slice()) {
            continue;
        }
        if check {
            drift.push(committed.display().to_string());
        } else {
            fs::create_dir_all(committed.parent().expect("has a parent"))
                .map_err(|e| e.to_string())?;
            fs::write(&committed, fresh)
                .map_err(|e| format!("cannot write {}: {e}", committed.display()))?;
            eprintln!("    wrote {}", committed.display());
        }
    }
    if drift.is_empty() {
        eprintln!("    Swift bindings up to date");
        Ok(())
    } else {
        Err(format!(
            "generated Swift is out of date: {}\n    run `cargo xtask codegen --only kotlin` and commit the result",
            drift.join(", ")
        ))
    }
}

/// Maven with the properties the pom expects.
/// `build` is the Maven build folder under `target/uniffi` (the benchmark gets its own,
/// so its classes never end up in the dist jar).
fn mvn(ctx: &Ctx, p: &Paths, native_dir: &Path, build: &str) -> Command {
    let mut cmd = Command::new("mvn");
    cmd.current_dir(&p.maven)
        .args(["-B", "--no-transfer-progress"])
        .arg(format!(
            "-Djwtcore.generated={}",
            p.generated_kotlin.display()
        ))
        .arg(format!("-Djwtcore.native={}", native_dir.display()))
        .arg(format!("-Djwtcore.corpus={}", p.corpus.display()))
        .arg(format!(
            "-Djwtcore.build={}",
            ctx.target.join("uniffi").join(build).display()
        ));
    cmd
}

/// Remove Maven's compiled classes of `build` (under `target/uniffi`): classes compiled
/// from an older generated Kotlin (another checkout, a removed type) survive Maven's
/// incremental compile and break the build, so every compile starts from none.
fn clear_classes(ctx: &Ctx, build: &str) -> Result {
    let dir = ctx.target.join("uniffi").join(build);
    for sub in ["classes", "test-classes"] {
        let classes = dir.join(sub);
        if classes.exists() {
            fs::remove_dir_all(&classes)
                .map_err(|e| format!("cannot clear {}: {e}", classes.display()))?;
        }
    }
    Ok(())
}

fn need_maven() -> Result {
    if have("mvn") && have("java") {
        Ok(())
    } else {
        Err(
            "Maven and a JDK (17+) are needed: apt-get install maven openjdk-17-jdk-headless"
                .into(),
        )
    }
}

/// Build, generate, check Swift drift, run the Kotlin tests.
pub fn test(ctx: &Ctx) -> Result {
    need_maven()?;
    let p = Paths::new(ctx);
    build_debug(ctx)?;
    step("kotlin: uniffi-bindgen (library mode) -> Kotlin");
    kotlin_codegen(ctx, &p)?;
    step("kotlin: generated Swift is up to date");
    swift_codegen(ctx, &p, true)?;
    if !p.corpus.is_file() {
        eprintln!(
            "    note: {} is absent; the corpus tests will be skipped",
            p.corpus.display()
        );
    }
    step("kotlin: mvn test (JUnit against the cdylib via JNA)");
    clear_classes(ctx, "maven")?;
    run(mvn(ctx, &p, &ctx.target.join("debug"), "maven").arg("test"))
}

/// The JVM benchmark against nimbus-jose-jwt and java-jwt.
pub fn bench(ctx: &Ctx) -> Result {
    need_maven()?;
    let p = Paths::new(ctx);
    build_debug(ctx)?;
    kotlin_codegen(ctx, &p)?;
    step("kotlin: cargo build --release -p jwt-core-uniffi (the benchmarked library)");
    ctx.cargo(&["build", "--release", "-p", CRATE, "--lib", "--examples"])?;
    step("kotlin: native cost of the same verifications (no FFI)");
    let native = output(
        Command::new(ctx.target.join("release/examples/native_verify_cost")).current_dir(&ctx.root),
    )?;
    eprint!("{native}");
    step("kotlin: mvn -Pbench compile");
    clear_classes(ctx, "maven-bench")?;
    let classpath_file = ctx.target.join("uniffi/bench.classpath");
    run(mvn(ctx, &p, &ctx.target.join("release"), "maven-bench")
        .args([
            "-q",
            "-Pbench",
            "compile",
            "org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath",
        ])
        .arg(format!("-Dmdep.outputFile={}", classpath_file.display())))?;
    let deps = fs::read_to_string(&classpath_file).map_err(|e| e.to_string())?;
    let classes = ctx.target.join("uniffi/maven-bench/classes");
    step("kotlin: JVM benchmark (HS256, ES256 verify)");
    let report = output(
        Command::new("java")
            .arg(format!(
                "-Djna.library.path={}",
                ctx.target.join("release").display()
            ))
            .arg("-cp")
            .arg(format!("{}:{}", classes.display(), deps.trim()))
            .arg("dev.jwtcore.bench.VerifyBenchKt")
            .arg(native.trim()),
    )?;
    print!("{report}");
    crate::charts::write_marked_section(
        &ctx.root.join("docs/performance.md"),
        "# Performance",
        "jvm",
        &report,
    )
}

/// The JVM jar (always), the Swift package sources, the Android AAR layout and the
/// XCFramework (where possible).
pub fn dist(ctx: &Ctx) -> Result {
    let p = Paths::new(ctx);
    let jar = jar(ctx, true)?;
    check_example_against_jar(ctx, &jar)?;
    android(ctx, &p)?;
    xcframework(ctx, &p)?;
    swift_package(ctx, &p)
}

/// The JVM jar in `ctx.dist` with the native library inside: the `release` one for
/// `dist`, the debug one for the quick smoke test.
pub fn jar(ctx: &Ctx, release: bool) -> Result<PathBuf> {
    need_maven()?;
    let p = Paths::new(ctx);
    build_debug(ctx)?;
    kotlin_codegen(ctx, &p)?;
    if release {
        step("kotlin: cargo build --release -p jwt-core-uniffi");
        ctx.cargo(&["build", "--release", "-p", CRATE])?;
    }
    jvm_jar(ctx, &p, if release { "release" } else { "debug" })
}

/// `mvn package`, then add the native library (of `profile`) where JNA looks for it on
/// the class path.
fn jvm_jar(ctx: &Ctx, p: &Paths, profile: &str) -> Result<PathBuf> {
    step("kotlin: mvn package (classes jar)");
    run(mvn(ctx, p, &ctx.target.join(profile), "maven").args([
        "-q",
        "-DskipTests",
        "clean",
        "package",
    ]))?;
    let built = ctx
        .target
        .join(format!("uniffi/maven/jwt-core-{VERSION}.jar"));
    let jar = ctx.dist.join(format!("jwt-core-kotlin-{VERSION}.jar"));
    fs::create_dir_all(&ctx.dist).map_err(|e| e.to_string())?;
    fs::copy(&built, &jar).map_err(|e| format!("cannot copy {}: {e}", built.display()))?;
    let staging = ctx.target.join("uniffi/jar-native");
    let native_dir = staging.join(jna_resource_prefix());
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&native_dir).map_err(|e| e.to_string())?;
    let lib = cdylib(ctx, profile);
    fs::copy(&lib, native_dir.join(lib.file_name().expect("file name")))
        .map_err(|e| e.to_string())?;
    step("kotlin: add the native library to the jar");
    run(Command::new("jar")
        .arg("uf")
        .arg(&jar)
        .arg("-C")
        .arg(&staging)
        .arg(jna_resource_prefix()))?;
    eprintln!("    wrote {}", jar.display());
    Ok(jar)
}

/// JNA's resource folder for this platform (`linux-x86-64`, `darwin-aarch64`, ...).
fn jna_resource_prefix() -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x86-64",
        other => other,
    };
    format!("{os}-{arch}")
}

/// Compile and run the example of `docs/kotlin.md` against the dist jar with nothing
/// but JNA and kotlin-stdlib on the class path (and no `jna.library.path`).
fn check_example_against_jar(ctx: &Ctx, jar: &Path) -> Result {
    step("kotlin: docs/kotlin.md example against the dist jar");
    let doc = fs::read_to_string(ctx.root.join("docs/kotlin.md")).map_err(|e| e.to_string())?;
    let start = doc
        .find("```kotlin example")
        .ok_or("docs/kotlin.md has no ```kotlin example block")?;
    let body = &doc[start..];
    let body = &body[body.find('\n').unwrap_or(0) + 1..];
    let code = &body[..body.find("```").ok_or("unterminated example block")?];
    let out = run_against_jar(ctx, jar, code, "example")?;
    if out.contains("verified") {
        Ok(())
    } else {
        Err("the docs/kotlin.md example did not print `verified`".into())
    }
}

/// Compile `code` (a Kotlin file with a top-level `main`, run as `ExampleKt`) in a
/// throwaway Maven project `target/uniffi/<name>` against `jar` with nothing but JNA and
/// kotlin-stdlib on the class path, run it and return its stdout.
pub fn run_against_jar(ctx: &Ctx, jar: &Path, code: &str, name: &str) -> Result<String> {
    let dir = ctx.target.join("uniffi").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    fs::write(dir.join("src/Example.kt"), code).map_err(|e| e.to_string())?;
    // The example project is a throwaway Maven project that depends on the dist jar
    // through a system-scoped path, JNA and kotlin-stdlib only.
    let pom = fs::read_to_string(Paths::new(ctx).maven.join("example-pom.xml"))
        .map_err(|e| e.to_string())?;
    fs::write(
        dir.join("pom.xml"),
        pom.replace("@JAR@", &jar.display().to_string()),
    )
    .map_err(|e| e.to_string())?;
    run(Command::new("mvn")
        .current_dir(&dir)
        .args([
            "-B",
            "-q",
            "--no-transfer-progress",
            "package",
            "org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath",
        ])
        .arg(format!(
            "-Dmdep.outputFile={}",
            dir.join("cp.txt").display()
        )))?;
    let deps = fs::read_to_string(dir.join("cp.txt")).map_err(|e| e.to_string())?;
    let cp = format!("{}:{}", dir.join("target/classes").display(), deps.trim());
    for entry in cp.split(':') {
        let name = Path::new(entry)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("");
        let allowed = name == "classes"
            || name.starts_with("jna-")
            || name.starts_with("kotlin-stdlib")
            || name.starts_with("annotations-")
            || entry == jar.display().to_string();
        if !allowed {
            return Err(format!(
                "the example's class path has more than JNA and kotlin-stdlib: {entry}"
            ));
        }
    }
    let out = output(Command::new("java").arg("-cp").arg(&cp).arg("ExampleKt"))?;
    print!("{out}");
    Ok(out)
}

/// jniLibs per ABI via cargo-ndk plus the AAR module layout; needs the Android NDK.
fn android(ctx: &Ctx, p: &Paths) -> Result {
    step("kotlin: Android (cargo ndk -> jniLibs, AAR module)");
    let ndk = std::env::var_os("ANDROID_NDK_HOME").is_some();
    let cargo_ndk = Command::new(crate::util::cargo_bin())
        .args(["ndk", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !(ndk && cargo_ndk) {
        eprintln!(
            "    skipped: needs the Android NDK (ANDROID_NDK_HOME) and `cargo install cargo-ndk` with\n    \
             `rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android`;\n    \
             neither is available on this machine (see docs/kotlin.md, Android)"
        );
        return Ok(());
    }
    let module = ctx.target.join("uniffi/android");
    let jni = module.join("src/main/jniLibs");
    let mut args = vec!["ndk".to_owned()];
    for abi in ANDROID_ABIS {
        args.extend(["-t".to_owned(), (*abi).to_owned()]);
    }
    args.extend([
        "-o".into(),
        jni.display().to_string(),
        "build".into(),
        "--release".into(),
        "-p".into(),
        CRATE.into(),
    ]);
    run(Command::new(crate::util::cargo_bin())
        .args(&args)
        .current_dir(&ctx.root))?;
    let kotlin = module.join("src/main/kotlin");
    copy_dir(&p.generated_kotlin, &kotlin)?;
    copy_dir(&p.maven.join("src/main/kotlin"), &kotlin)?;
    fs::copy(
        p.maven.join("android/build.gradle.kts"),
        module.join("build.gradle.kts"),
    )
    .map_err(|e| e.to_string())?;
    fs::copy(
        p.maven.join("android/AndroidManifest.xml"),
        module.join("src/main/AndroidManifest.xml"),
    )
    .map_err(|e| e.to_string())?;
    eprintln!(
        "    wrote the AAR module at {} (build it with `gradle assembleRelease`)",
        module.display()
    );
    Ok(())
}

/// Static libraries for iOS, the simulator and macOS, joined into
/// `target/dist/JwtCoreFFI.xcframework` (what `Package.swift` consumes); macOS only.
fn xcframework(ctx: &Ctx, p: &Paths) -> Result {
    step("kotlin: Swift XCFramework (xcodebuild -create-xcframework)");
    if std::env::consts::OS != "macos" || !have("xcodebuild") {
        eprintln!(
            "    skipped: needs macOS with Xcode (xcodebuild, lipo); this machine has neither"
        );
        return Ok(());
    }
    for t in APPLE_TARGETS {
        ctx.cargo(&["build", "--release", "-p", CRATE, "--target", t])?;
    }
    let lib = |t: &str| {
        ctx.target
            .join(t)
            .join("release")
            .join(format!("lib{LIB}.a"))
    };
    let fat = ctx.target.join("uniffi/apple");
    let headers = fat.join("Headers");
    let _ = fs::remove_dir_all(&fat);
    fs::create_dir_all(&headers).map_err(|e| e.to_string())?;
    // The headers and the modulemap (the Swift sources are the package's, not the C module's).
    for (name, committed) in swift_files(p)
        .into_iter()
        .filter(|(n, _)| !n.ends_with(".swift"))
    {
        let dest = if name.ends_with(".modulemap") {
            "module.modulemap"
        } else {
            name
        };
        fs::copy(committed, headers.join(dest)).map_err(|e| e.to_string())?;
    }
    let lipo = |out: &str, targets: &[&str]| -> Result<PathBuf> {
        let out = fat.join(out);
        fs::create_dir_all(out.parent().expect("parent")).map_err(|e| e.to_string())?;
        let mut cmd = Command::new("lipo");
        cmd.arg("-create").arg("-output").arg(&out);
        for t in targets {
            cmd.arg(lib(t));
        }
        run(&mut cmd)?;
        Ok(out)
    };
    let sim = lipo(
        "sim/libjwt_core_uniffi.a",
        &["aarch64-apple-ios-sim", "x86_64-apple-ios"],
    )?;
    let mac = lipo(
        "macos/libjwt_core_uniffi.a",
        &["aarch64-apple-darwin", "x86_64-apple-darwin"],
    )?;
    let out = ctx.dist.join("JwtCoreFFI.xcframework");
    let _ = fs::remove_dir_all(&out);
    let mut cmd = Command::new("xcodebuild");
    cmd.arg("-create-xcframework");
    for l in [lib("aarch64-apple-ios"), sim, mac] {
        cmd.arg("-library").arg(l).arg("-headers").arg(&headers);
    }
    run(cmd.arg("-output").arg(&out))?;
    // Package.swift points at ../../../target/dist/JwtCoreFFI.xcframework by default.
    eprintln!(
        "    wrote {}; run `swift test` in {}",
        out.display(),
        p.swift.display()
    );
    Ok(())
}

/// The Swift package sources into `target/dist/swift` (Package.swift, the generated
/// sources, the tests, and a README on building the XCFramework on macOS, from
/// `examples/newcomer/swift/README.md`); the XCFramework goes in too when built.
fn swift_package(ctx: &Ctx, p: &Paths) -> Result {
    step("kotlin: Swift package sources into target/dist/swift");
    let out = ctx.dist.join("swift");
    let _ = fs::remove_dir_all(&out);
    copy_dir(&p.swift, &out)?;
    fs::copy(
        ctx.root.join("examples/newcomer/swift/README.md"),
        out.join("README.md"),
    )
    .map_err(|e| format!("examples/newcomer/swift/README.md: {e}"))?;
    let xcframework = ctx.dist.join("JwtCoreFFI.xcframework");
    if xcframework.is_dir() {
        copy_dir(&xcframework, &out.join("JwtCoreFFI.xcframework"))?;
    }
    eprintln!("    wrote {}", out.display());
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), dest).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Regenerate the committed Swift sources; `check`: fail on drift instead.
pub fn codegen(ctx: &Ctx, check: bool) -> Result {
    let p = Paths::new(ctx);
    build_debug(ctx)?;
    step(if check {
        "kotlin: codegen --check (Swift)"
    } else {
        "kotlin: codegen (Swift)"
    });
    swift_codegen(ctx, &p, check)
}
