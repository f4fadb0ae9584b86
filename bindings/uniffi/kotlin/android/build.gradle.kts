// Android library module for jwt-core, assembled by `cargo xtask dist --only kotlin` in
// target/uniffi/android (jniLibs from cargo-ndk, Kotlin from uniffi-bindgen plus
// bindings/uniffi/kotlin/src/main/kotlin). Not built on the project's CI machine, which
// has no Android SDK: see docs/kotlin.md.
plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.4.21"
}

android {
    namespace = "dev.jwtcore"
    compileSdk = 35
    defaultConfig {
        minSdk = 24
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    implementation("net.java.dev.jna:jna:5.19.1@aar")
}
