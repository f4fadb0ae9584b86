#!/usr/bin/env bash
# A first session with the `jwt` command: make a key, sign a token, verify it, see a
# rejection. `cargo xtask test --only smoke` runs this in an empty folder with the built
# `jwt` on PATH (and no cargo); it checks the printed lines.
set -euo pipefail

jwt keygen --alg ES256 --out key.pem > key.pub.pem
TOKEN=$(jwt encode --key key.pem --sub newcomer --exp 5m)

SUB=$(jwt verify "$TOKEN" --key key.pub.pem --json | jq -r .claims.sub)
echo "cli: verified sub=$SUB"

# Another key's public half refuses the token (exit code 1, the error code in the JSON).
jwt keygen --alg ES256 --out other.pem > other.pub.pem
if ! jwt verify "$TOKEN" --key other.pub.pem --json > rejected.json 2> /dev/null; then
  echo "cli: rejected $(jq -r .error.code rejected.json)"
fi
