#!/bin/sh
# Function keys for a self-hosted Functions host. With AzureWebJobsSecretStorageType=files the host reads its keys
# from $FUNCTIONS_SECRETS_PATH/host.json; this writes that file from two environment values, so the keys live in the
# env file next to the other secrets instead of in an image or a committed file. Then it starts the host.
set -eu
if [ -n "${BYOT_FUNCTIONS_MASTER_KEY:-}" ] || [ -n "${BYOT_FUNCTIONS_DEFAULT_KEY:-}" ]; then
  : "${BYOT_FUNCTIONS_MASTER_KEY:?BYOT_FUNCTIONS_MASTER_KEY is required with BYOT_FUNCTIONS_DEFAULT_KEY}"
  : "${BYOT_FUNCTIONS_DEFAULT_KEY:?BYOT_FUNCTIONS_DEFAULT_KEY is required with BYOT_FUNCTIONS_MASTER_KEY}"
  for key in "$BYOT_FUNCTIONS_MASTER_KEY" "$BYOT_FUNCTIONS_DEFAULT_KEY"; do
    case "$key" in
      *[!A-Za-z0-9_=+/-]*) echo "functions-entrypoint: function keys may hold only A-Z a-z 0-9 _ = + / -" >&2; exit 2 ;;
    esac
    [ "${#key}" -ge 16 ] || { echo "functions-entrypoint: function keys need at least 16 characters" >&2; exit 2; }
  done
  if [ "${AzureWebJobsSecretStorageType:-}" != "files" ]; then
    echo "functions-entrypoint: set AzureWebJobsSecretStorageType=files to use BYOT_FUNCTIONS_*_KEY" >&2; exit 2
  fi
  dir="${FUNCTIONS_SECRETS_PATH:?FUNCTIONS_SECRETS_PATH is required with AzureWebJobsSecretStorageType=files}"
  mkdir -p "$dir"
  umask 077
  printf '{"masterKey":{"name":"master","value":"%s","encrypted":false},"functionKeys":[{"name":"default","value":"%s","encrypted":false}],"systemKeys":[]}\n' \
    "$BYOT_FUNCTIONS_MASTER_KEY" "$BYOT_FUNCTIONS_DEFAULT_KEY" > "$dir/host.json"
fi
unset BYOT_FUNCTIONS_MASTER_KEY BYOT_FUNCTIONS_DEFAULT_KEY
exec "$@"
