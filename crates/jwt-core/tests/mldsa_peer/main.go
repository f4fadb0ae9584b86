// The ML-DSA peer of tests/mldsa_interop.rs: Cloudflare CIRCL's FIPS 204 ML-DSA, an
// implementation independent of AWS-LC, driven over stdin/stdout JSON.
//
// For each case it derives the key pair from the 32-byte seed (FIPS 204
// ML-DSA.KeyGen_internal) and reports its public key, verifies every given compact JWS
// with the given public key (empty context, RFC 9964 5), and signs one JWS of its own
// over the given payload with header {"alg":ALG,"kid":"circl"}.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/cloudflare/circl/sign"
	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
)

type request struct {
	Cases []struct {
		Alg     string   `json:"alg"`
		Seed    string   `json:"seed"`
		Pub     string   `json:"pub"`
		Tokens  []string `json:"tokens"`
		Payload string   `json:"payload"`
	} `json:"cases"`
}

type result struct {
	Alg      string `json:"alg"`
	Pub      string `json:"pub"`
	Verified []bool `json:"verified"`
	Token    string `json:"token"`
}

var b64 = base64.RawURLEncoding

func schemeOf(alg string) (sign.Scheme, error) {
	switch alg {
	case "ML-DSA-44":
		return mldsa44.Scheme(), nil
	case "ML-DSA-65":
		return mldsa65.Scheme(), nil
	case "ML-DSA-87":
		return mldsa87.Scheme(), nil
	}
	return nil, fmt.Errorf("unknown alg %q", alg)
}

func verify(s sign.Scheme, pk sign.PublicKey, token string) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return false
	}
	return s.Verify(pk, []byte(parts[0]+"."+parts[1]), sig, nil)
}

func run() error {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		return err
	}
	out := []result{}
	for _, c := range req.Cases {
		s, err := schemeOf(c.Alg)
		if err != nil {
			return err
		}
		seed, err := b64.DecodeString(c.Seed)
		if err != nil || len(seed) != s.SeedSize() {
			return fmt.Errorf("%s: bad seed", c.Alg)
		}
		pk, sk := s.DeriveKey(seed)
		derived, err := pk.MarshalBinary()
		if err != nil {
			return err
		}
		raw, err := b64.DecodeString(c.Pub)
		if err != nil {
			return err
		}
		given, err := s.UnmarshalBinaryPublicKey(raw)
		if err != nil {
			return fmt.Errorf("%s: given pub: %v", c.Alg, err)
		}
		r := result{Alg: c.Alg, Pub: b64.EncodeToString(derived)}
		for _, t := range c.Tokens {
			r.Verified = append(r.Verified, verify(s, given, t))
		}
		header := b64.EncodeToString([]byte(`{"alg":"` + c.Alg + `","kid":"circl"}`))
		input := header + "." + c.Payload
		sig := s.Sign(sk, []byte(input), nil)
		r.Token = input + "." + b64.EncodeToString(sig)
		out = append(out, r)
	}
	return json.NewEncoder(os.Stdout).Encode(map[string][]result{"cases": out})
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "mldsa-peer:", err)
		os.Exit(1)
	}
}
