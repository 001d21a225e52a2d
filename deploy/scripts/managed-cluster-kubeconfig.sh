#!/usr/bin/env bash
# Gives clustermesh-controller least-privilege access to ONE managed cluster and writes the
# kubeconfig the service reads for it.
#
#   deploy/scripts/managed-cluster-kubeconfig.sh --context homelab \
#       --server https://homelab-cp.tail0000.ts.net:6443 \
#       --reachability port-forward --endpoint home.example.net:32379 \
#       --output homelab.kubeconfig
#
# With the admin context --context it applies deploy/manifests/managed-cluster-rbac.yaml (a
# ServiceAccount, its long-lived token Secret, a Role in the Cilium namespace and a narrow
# ClusterRole), waits until Kubernetes has filled in the token, and writes a kubeconfig with one
# context named --name (the cluster name the service shows), the API address the SERVICE will
# use (--server; the admin kubeconfig's address is often a LAN address the service cannot
# reach), the cluster's CA and the ServiceAccount token. --reachability/--endpoint go into the
# kubeconfig as the clustermesh-controller.io/reachability extension, so one file carries
# everything the service needs to know about the cluster.
#
# --dry-run contacts no cluster: it prints the objects it would apply and the kubeconfig with
# placeholders. The token is never printed on the terminal unless the kubeconfig goes to
# standard output (no --output); an --output file is created with mode 0600.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: managed-cluster-kubeconfig.sh --context CONTEXT [options]

  --context CONTEXT        admin context of the managed cluster (kubectl --context)
  --name NAME              cluster name the service shows (default: CONTEXT)
  --server URL             API server URL the service will dial (default: the context's server)
  --tls-server-name NAME   name to verify the API server certificate against, when --server
                           uses a name the certificate does not hold (e.g. a Tailscale egress Service)
  --namespace NS           namespace Cilium runs in (default: kube-system)
  --reachability MODE      direct | port-forward | tailscale (kubeconfig extension; optional)
  --endpoint HOST:PORT     address other clusters dial this cluster's clustermesh-apiserver at
  --output FILE            write the kubeconfig here (mode 0600) instead of standard output
  --timeout SECONDS        how long to wait for Kubernetes to fill in the token (default: 60)
  --dry-run                print what would be applied and the kubeconfig shape; change nothing
  -h, --help               this text

Environment: KUBECTL (default kubectl), KUBECTL_APPLY_ARGS (extra arguments for kubectl apply).
USAGE
}

die() { echo "managed-cluster-kubeconfig: $*" >&2; exit 1; }

context="" name="" server="" tls_server_name="" namespace="kube-system" mode="" endpoint=""
output="" timeout=60 dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --context) context=${2:?--context needs a value}; shift 2 ;;
    --name) name=${2:?--name needs a value}; shift 2 ;;
    --server) server=${2:?--server needs a value}; shift 2 ;;
    --tls-server-name) tls_server_name=${2:?--tls-server-name needs a value}; shift 2 ;;
    --namespace) namespace=${2:?--namespace needs a value}; shift 2 ;;
    --reachability) mode=${2:?--reachability needs a value}; shift 2 ;;
    --endpoint) endpoint=${2:?--endpoint needs a value}; shift 2 ;;
    --output) output=${2:?--output needs a value}; shift 2 ;;
    --timeout) timeout=${2:?--timeout needs a value}; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

[ -n "$context" ] || { usage >&2; die "--context is required"; }
name=${name:-$context}
# The service turns a context into a cluster only when its name is a DNS-1123 label.
[[ "$name" =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] || die "--name '$name' is not a DNS-1123 label (lower-case letters, digits, '-')"
[[ "$namespace" =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] || die "--namespace '$namespace' is not a valid namespace name"
case "$mode" in ""|direct|port-forward|tailscale) ;; *) die "--reachability must be direct, port-forward or tailscale, not '$mode'" ;; esac
[ -z "$endpoint" ] || [[ "$endpoint" =~ ^[^:/[:space:]]+:[0-9]{1,5}$ ]] || die "--endpoint must be host:port, not '$endpoint'"
[[ "$timeout" =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds"

kubectl=${KUBECTL:-kubectl}
manifest="$(cd "$(dirname "${BASH_SOURCE[0]}")/../manifests" && pwd)/managed-cluster-rbac.yaml"
[ -f "$manifest" ] || die "cannot find $manifest"
read -r -a apply_args <<< "${KUBECTL_APPLY_ARGS:-}"

# The manifest names kube-system; another Cilium namespace only changes the namespaced objects.
rendered() { sed "s/^\(  *namespace: \)kube-system$/\1$namespace/" "$manifest"; }

kubeconfig() { # $1 server, $2 CA data (base64), $3 token
  echo "apiVersion: v1"
  echo "kind: Config"
  echo "clusters:"
  echo "- name: $name"
  echo "  cluster:"
  echo "    server: $1"
  echo "    certificate-authority-data: $2"
  [ -z "$tls_server_name" ] || echo "    tls-server-name: $tls_server_name"
  if [ -n "$mode$endpoint" ]; then
    echo "    extensions:"
    echo "    - name: clustermesh-controller.io/reachability"
    echo "      extension:"
    [ -z "$mode" ] || echo "        mode: $mode"
    [ -z "$endpoint" ] || echo "        endpoint: $endpoint"
  fi
  echo "contexts:"
  echo "- name: $name"
  echo "  context:"
  echo "    cluster: $name"
  echo "    user: clustermesh-controller@$name"
  echo "    namespace: $namespace"
  echo "current-context: $name"
  echo "users:"
  echo "- name: clustermesh-controller@$name"
  echo "  user:"
  echo "    token: $3"
}

if $dry_run; then
  echo "# dry run: would apply to context '$context' (nothing is changed):"
  rendered
  echo "---"
  echo "# and write this kubeconfig ($([ -n "$output" ] && echo "to $output, mode 0600" || echo "to standard output")):"
  kubeconfig "${server:-<server of context $context>}" "<ca.crt of Secret $namespace/clustermesh-controller-token>" \
    "<token of Secret $namespace/clustermesh-controller-token>"
  exit 0
fi

command -v "$kubectl" >/dev/null 2>&1 || die "$kubectl not found (install kubectl, e.g. apt-get install kubernetes-client)"
k() { "$kubectl" --context "$context" "$@"; }

if [ -z "$server" ]; then
  server=$(k config view --minify -o jsonpath='{.clusters[0].cluster.server}') || die "context '$context' not found"
  echo "managed-cluster-kubeconfig: using the context's server $server; pass --server if the service reaches the API elsewhere" >&2
fi

rendered | k apply "${apply_args[@]}" -f - >&2

# Kubernetes' token controller fills in a service-account-token Secret asynchronously.
secret="$namespace/clustermesh-controller-token"
deadline=$((SECONDS + timeout))
token_b64="" ca_b64=""
while :; do
  token_b64=$(k -n "$namespace" get secret clustermesh-controller-token -o jsonpath='{.data.token}' 2>/dev/null || true)
  ca_b64=$(k -n "$namespace" get secret clustermesh-controller-token -o jsonpath='{.data.ca\.crt}' 2>/dev/null || true)
  [ -n "$token_b64" ] && [ -n "$ca_b64" ] && break
  [ $SECONDS -lt $deadline ] || die "Secret $secret has no token and ca.crt after ${timeout}s (is the token controller running?)"
  sleep 1
done
token=$(printf %s "$token_b64" | base64 -d) || die "Secret $secret holds a token that is not base64"

if [ -n "$output" ]; then
  (umask 077 && : > "$output") && chmod 600 "$output"
  kubeconfig "$server" "$ca_b64" "$token" > "$output"
  echo "managed-cluster-kubeconfig: wrote $output (context '$name', server $server)" >&2
else
  kubeconfig "$server" "$ca_b64" "$token"
fi
