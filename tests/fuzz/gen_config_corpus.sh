#!/usr/bin/env bash
# Writes fuzz_config's seed corpus (tests/fuzz/corpus/config): configuration files, ACL files,
# password files and SCRAM files, each prefixed with the byte that picks its parser in fuzz_config.cpp
# (0 config, 1 ACL, 2 password file, 3 SCRAM file). Hashes are real (PBKDF2 / SHA-512 / SCRAM-SHA-256
# of the password "secret"), made with python3's hashlib.
# Usage: tests/fuzz/gen_config_corpus.sh [OUTPUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/corpus/config}
mkdir -p "$out"
n=0
seed() {  # seed NAME PARSER_BYTE < text
  { printf "\\x$(printf %02x "$2")"; cat; } > "$out/$1"
  n=$((n + 1))
}

# --- configuration (parser 0)
seed config_example 0 < "$here/../../native/config/postcard.conf.example"
seed config_minimal 0 <<'EOF'
listener 1883 127.0.0.1
allow_anonymous true
EOF
seed config_listeners 0 <<'EOF'
per_listener_settings true
listener 1883
socket_domain ipv4
max_connections 10
allow_anonymous false
password_file pw
listener 1883
socket_domain ipv6
listener 9001 ::1
protocol websockets
mount_point room/
listener 8883
certfile c.pem
keyfile k.pem
ciphers ECDHE
require_certificate false
EOF
seed config_limits 0 <<'EOF'
max_inflight_messages 0
max_inflight_bytes 1000
max_queued_messages 5
max_queued_bytes 10k
max_packet_size 268435455
max_keepalive 65535
message_size_limit 100
upgrade_outgoing_qos true
retain_available false
max_qos 1
persistent_client_expiration 1y
sys_interval 0
set_tcp_nodelay true
autosave_interval 30
autosave_on_changes false
persistence_file state.db
persistence_location /tmp/x/
EOF
seed config_errors 0 <<'EOF'
listener 70000
port abc
max_qos 3
unknown_directive yes
log_type everything
bridge_cafile x
EOF
seed config_bom_crlf 0 < <(printf '\xef\xbb\xbflistener 1883\r\n# comment\r\n\r\n  allow_anonymous   true  \r\nlog_dest file /tmp/log\r\n')

# --- ACL files (parser 1)
seed acl_mosquitto 1 <<'EOF'
# anonymous
topic read $SYS/#
topic deny a/secret
topic a/#

user alice
topic readwrite u/alice/#
topic write room/+/t
topic deny room/private

pattern read room/%c/t
pattern write u/%u/#
pattern deny %c/#
EOF
seed acl_spaces_wildcards 1 <<'EOF'
user bob smith
topic read a topic with spaces
topic  readwrite  +/+/#
pattern readwrite $share/%u/x
topic deny #
topic read $SYS
EOF
seed acl_errors 1 <<'EOF'
topic
user
topic sideways a/b
pattern read a/#/b
EOF

# --- password and SCRAM files (parsers 2 and 3)
python3 - "$out" <<'EOF'
import base64, hashlib, hmac, os, sys
out = sys.argv[1]
b64 = lambda b: base64.b64encode(b).decode()
salt = b'fuzzsalt1234'
p7 = hashlib.pbkdf2_hmac('sha512', b'secret', salt, 101)
p6 = hashlib.sha512(b'secret' + salt).digest()
salted = hashlib.pbkdf2_hmac('sha256', b'secret', salt, 4096)
client_key = hmac.new(salted, b'Client Key', 'sha256').digest()
stored = hashlib.sha256(client_key).digest()
server = hmac.new(salted, b'Server Key', 'sha256').digest()
scram = f'SCRAM-SHA-256$4096:{b64(salt)}${b64(stored)}:{b64(server)}'
files = {
  'passwd_mosquitto': (2, f'alice:$7$101${b64(salt)}${b64(p7)}\nbob:$6${b64(salt)}${b64(p6)}\n'),
  'passwd_comments_plain': (2, f'# users\n\ncarol:plaintext\ndave:$7$0$x$y\nerin:$7$101${b64(salt)}${b64(p7)}\r\nfrank:$6$$\n:$6$a$b\nnoline'),
  'scram_users': (3, f'# scram\nalice:{scram}\nbob:{scram}\n'),
  'scram_errors': (3, f'alice:{scram}\nbad:SCRAM-SHA-256$x\nalice:{scram}\n:{scram}\n'),
}
for name, (parser, text) in files.items():
  with open(os.path.join(out, name), 'wb') as f:
    f.write(bytes([parser]) + text.encode())
EOF
n=$((n + 4))
echo "$n files"
