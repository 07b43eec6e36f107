{{/* Chart name, cut to 63 characters (DNS label). */}}
{{- define "incident-stream.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart unless the release name already holds the chart name. */}}
{{- define "incident-stream.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The headless Service: peer DNS names <pod>.<headless>.<namespace>.svc.<domain>. */}}
{{- define "incident-stream.headless" -}}
{{- printf "%s-headless" (include "incident-stream.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The Secret with PEER_TOKEN and CURSOR_SECRET: the chart's (generated or from values) or auth.existingSecret. */}}
{{- define "incident-stream.secretName" -}}
{{- default (include "incident-stream.fullname" .) .Values.auth.existingSecret }}
{{- end }}

{{/* The chart's Secret holding the tokens file from auth.tokens (not cut: Secret names may be 253 long). */}}
{{- define "incident-stream.tokensSecretName" -}}
{{- printf "%s-tokens" (include "incident-stream.fullname" .) }}
{{- end }}

{{/* The Secret the tokens file is mounted from; empty when auth is off. */}}
{{- define "incident-stream.tokensSource" -}}
{{- if .Values.auth.tokens }}
{{- include "incident-stream.tokensSecretName" . }}
{{- else if .Values.auth.existingSecretHasTokens }}
{{- .Values.auth.existingSecret }}
{{- end }}
{{- end }}

{{- define "incident-stream.selectorLabels" -}}
app.kubernetes.io/name: {{ include "incident-stream.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "incident-stream.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "incident-stream.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Fails the render when the pod would be killed before Kafka Streams has closed. */}}
{{- define "incident-stream.checkShutdown" -}}
{{- if le (int .Values.shutdown.terminationGracePeriodSeconds) (add (int .Values.shutdown.timeoutSeconds) (int .Values.shutdown.preStopSeconds)) }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%v) must exceed shutdown.timeoutSeconds (%v) plus shutdown.preStopSeconds (%v): the pod would be killed before Kafka Streams closes" .Values.shutdown.terminationGracePeriodSeconds .Values.shutdown.timeoutSeconds .Values.shutdown.preStopSeconds) }}
{{- end }}
{{- end }}

{{/*
  Fails the render of a pod that would serve the API to the network without authentication: in a pod
  it listens on 0.0.0.0, so with no tokens anyone who reaches port 8080 reads and changes every
  incident. The operator must say so (auth.allowAnonymous), as the app demands ALLOW_ANONYMOUS.
*/}}
{{- define "incident-stream.checkAuth" -}}
{{- if and .Values.auth.tokens .Values.auth.existingSecretHasTokens }}
{{- fail "auth.tokens and auth.existingSecretHasTokens both name a tokens file: set one" }}
{{- end }}
{{- if and (not .Values.auth.existingSecret) (ne (not .Values.auth.peerToken) (not .Values.auth.cursorSecret)) }}
{{- fail "auth.peerToken and auth.cursorSecret: give both or neither (with one missing, the Secret holding them can only be generated on install, and later changes to the other would never reach the pods)" }}
{{- end }}
{{- if and .Values.auth.cursorSecretPrevious .Values.auth.existingSecret }}
{{- fail "auth.cursorSecretPrevious is ignored with auth.existingSecret: put the previous secret into that Secret as key cursor-secret-previous" }}
{{- end }}
{{- if and .Values.auth.cursorSecretPrevious (not .Values.auth.cursorSecret) }}
{{- fail "auth.cursorSecretPrevious rotates auth.cursorSecret: give the new auth.cursorSecret (and auth.peerToken) too" }}
{{- end }}
{{- if and .Values.auth.existingSecretHasTokens (not .Values.auth.existingSecret) }}
{{- fail "auth.existingSecretHasTokens needs auth.existingSecret, the Secret with the tokens key" }}
{{- end }}
{{- if not (or (include "incident-stream.tokensSource" .) .Values.auth.allowAnonymous) }}
{{- fail "authentication is off (no auth.tokens) and the pods listen on 0.0.0.0: anyone who reaches port 8080 could read and change every incident. Set auth.tokens to a tokens file (README \"Auth and tenancy\"; or auth.existingSecret with auth.existingSecretHasTokens=true), or accept an open API with auth.allowAnonymous=true and list its callers in networkPolicy.clients" }}
{{- end }}
{{- end }}
