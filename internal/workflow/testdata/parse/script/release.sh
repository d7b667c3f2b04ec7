#!/usr/bin/env bash
set -euo pipefail
# airlock: ignore[script/curl-pipe] upstream installer pinned by checksum
source ./lib/common.sh
. scripts/env.sh
sudo -E ./install.sh
"$(dirname "$0")/other.sh"
sh -c "./inline.sh"
cat <<EOT
./not-a-call.sh
EOT
