{{/*
Tailscale settings of the service (docs/dataplane.md, "Tailscale settings"). The values feed the
environment; mesh.tailscale.* (a @ConfigMapping in the service) stays the one binding. Nothing is
rendered unless a credential Secret or a LocalAPI mode is chosen.
*/}}
{{- define "cmc.tailscaleSocket" -}}
{{- if eq .Values.tailscale.localapi.mode "hostSocket" -}}
{{ .Values.tailscale.localapi.hostSocketPath }}
{{- else -}}
/var/run/tailscale/tailscaled.sock
{{- end -}}
{{- end -}}

{{- define "cmc.tailscaleEnv" -}}
{{- $ts := .Values.tailscale -}}
{{- if not (has $ts.localapi.mode (list "none" "hostSocket" "sidecar")) -}}
{{- fail (printf "tailscale.localapi.mode must be none, hostSocket or sidecar, not %q" $ts.localapi.mode) -}}
{{- end -}}
{{- if and $ts.oauth.existingSecret $ts.apiKey.existingSecret -}}
{{- fail "tailscale: set oauth.existingSecret or apiKey.existingSecret, not both" -}}
{{- end -}}
{{- if $ts.oauth.existingSecret }}
- name: MESH_TAILSCALE_OAUTH_CLIENT_ID
  valueFrom:
    secretKeyRef:
      name: {{ $ts.oauth.existingSecret }}
      key: {{ $ts.oauth.clientIdKey }}
- name: MESH_TAILSCALE_OAUTH_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $ts.oauth.existingSecret }}
      key: {{ $ts.oauth.clientSecretKey }}
{{- end }}
{{- if $ts.apiKey.existingSecret }}
- name: MESH_TAILSCALE_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $ts.apiKey.existingSecret }}
      key: {{ $ts.apiKey.key }}
{{- end }}
{{- if or $ts.oauth.existingSecret $ts.apiKey.existingSecret }}
- name: MESH_TAILSCALE_TAILNET
  value: {{ $ts.tailnet | quote }}
{{- with $ts.apiBaseUrl }}
- name: MESH_TAILSCALE_API_BASE_URL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if ne $ts.localapi.mode "none" }}
- name: MESH_TAILSCALE_LOCALAPI_SOCKET
  value: {{ include "cmc.tailscaleSocket" . | quote }}
{{- end }}
{{- end -}}

{{/* The LocalAPI socket directory, mounted into the service (and the sidecar, which creates it). */}}
{{- define "cmc.tailscaleMounts" -}}
{{- if ne .Values.tailscale.localapi.mode "none" }}
- name: tailscale-socket
  mountPath: {{ dir (include "cmc.tailscaleSocket" .) }}
  readOnly: {{ eq .Values.tailscale.localapi.mode "hostSocket" }}
{{- end }}
{{- end -}}

{{- define "cmc.tailscaleVolumes" -}}
{{- $l := .Values.tailscale.localapi -}}
{{- if eq $l.mode "hostSocket" }}
# A hostPath volume: the Pod no longer meets the restricted Pod Security Standard.
- name: tailscale-socket
  hostPath:
    path: {{ dir $l.hostSocketPath }}
    type: Directory
{{- else if eq $l.mode "sidecar" }}
- name: tailscale-socket
  emptyDir: {}
- name: tailscale-state
  emptyDir: {}
{{- end }}
{{- end -}}

{{/*
A tailscaled next to the service (containerboot of the tailscale/tailscale image): userspace
networking (no TUN, no privileges), its LocalAPI socket in the shared directory (TS_SOCKET), state
in an emptyDir rather than a Kubernetes Secret (TS_KUBE_SECRET empty): use an ephemeral, tagged,
pre-approved auth key, since every restart joins as a new device.
*/}}
{{- define "cmc.tailscaleSidecar" -}}
{{- $s := .Values.tailscale.localapi.sidecar -}}
{{- if eq .Values.tailscale.localapi.mode "sidecar" }}
{{- if not $s.authKeySecret }}
{{- fail "tailscale.localapi.sidecar.authKeySecret: name the Secret holding the auth key (key TS_AUTHKEY)" }}
{{- end }}
- name: tailscale
  image: {{ printf "%s:%s" $s.image.repository $s.image.tag }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  env:
    - name: TS_AUTHKEY
      valueFrom:
        secretKeyRef:
          name: {{ $s.authKeySecret }}
          key: TS_AUTHKEY
    - name: TS_HOSTNAME
      value: {{ default (include "cmc.fullname" .) $s.hostname | quote }}
    - name: TS_USERSPACE
      value: "true"
    - name: TS_SOCKET
      value: {{ include "cmc.tailscaleSocket" . | quote }}
    - name: TS_STATE_DIR
      value: /var/lib/tailscale
    - name: TS_KUBE_SECRET
      value: ""
  resources:
    {{- toYaml $s.resources | nindent 4 }}
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: tailscale-socket
      mountPath: {{ dir (include "cmc.tailscaleSocket" .) }}
    - name: tailscale-state
      mountPath: /var/lib/tailscale
    - name: tmp
      mountPath: /tmp
{{- end }}
{{- end -}}
