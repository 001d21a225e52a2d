{{/* Chart name, overridable. */}}
{{- define "cmc.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Fully qualified name. A release whose name already contains the chart name (the plain
manifests are rendered as release "clustermesh-controller") is not prefixed twice.
Truncated to 52 so that "<fullname>-check" plus the CronJob's 11-character job suffix fits 63.
*/}}
{{- define "cmc.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "cmc.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "cmc.labels" -}}
helm.sh/chart: {{ include "cmc.chart" . }}
{{ include "cmc.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: clustermesh-controller
{{- end -}}

{{- define "cmc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cmc.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cmc.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cmc.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "cmc.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "cmc.kubeconfigSecretName" -}}
{{- default (printf "%s-kubeconfigs" (include "cmc.fullname" .)) .Values.kubeconfigs.existingSecret -}}
{{- end -}}

{{- define "cmc.authSecretName" -}}
{{- if .Values.auth.create -}}
{{- printf "%s-auth" (include "cmc.fullname" .) -}}
{{- else -}}
{{- required "auth.existingSecret is required when auth.create=false" .Values.auth.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* The Secret (key "token") holding the operator token the check reports with. */}}
{{- define "cmc.checkTokenSecretName" -}}
{{- default (printf "%s-check-token" (include "cmc.fullname" .)) .Values.check.tokenSecret -}}
{{- end -}}

{{- define "cmc.checkName" -}}
{{- printf "%s-check" (include "cmc.fullname" .) -}}
{{- end -}}

{{/* The properties file holding the bearer-token hashes (docs/configuration.md: mesh.auth.*). */}}
{{- define "cmc.authProperties" -}}
# Bearer tokens for the clustermesh-controller API: SHA-256 hex of each token and its role.
mesh.auth.anonymous-health={{ .Values.auth.anonymousHealth }}
{{- range $name, $token := .Values.auth.tokens }}
{{- if not (regexMatch "^[a-z0-9][a-z0-9-]*$" $name) }}
{{- fail (printf "auth.tokens: token name %q must be lower-case letters, digits and dashes" $name) }}
{{- end }}
{{- if not (regexMatch "^[0-9a-f]{64}$" (toString $token.sha256)) }}
{{- fail (printf "auth.tokens.%s.sha256 must be 64 lower-case hex characters (printf %%s \"$TOKEN\" | sha256sum)" $name) }}
{{- end }}
{{- if not (has (default "viewer" $token.role) (list "viewer" "operator")) }}
{{- fail (printf "auth.tokens.%s.role must be viewer or operator" $name) }}
{{- end }}
mesh.auth.tokens.{{ $name }}.sha256={{ $token.sha256 }}
mesh.auth.tokens.{{ $name }}.role={{ default "viewer" $token.role }}
{{- end }}
{{- end -}}

{{/* The kubeconfigs volume, mounted read-only by the service and the check. */}}
{{- define "cmc.kubeconfigVolume" -}}
- name: kubeconfigs
  secret:
    secretName: {{ include "cmc.kubeconfigSecretName" . }}
    defaultMode: 0440
    # Optional so the service starts before the Secret exists; it rescans the directory and
    # picks the files up once the kubelet projects them.
    optional: true
{{- end -}}
