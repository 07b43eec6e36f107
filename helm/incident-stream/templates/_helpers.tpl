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

{{- define "incident-stream.secretName" -}}
{{- default (include "incident-stream.fullname" .) .Values.auth.existingSecret }}
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
{{- if le (int .Values.shutdown.terminationGracePeriodSeconds) (int .Values.shutdown.timeoutSeconds) }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%v) must exceed shutdown.timeoutSeconds (%v): the pod would be killed before Kafka Streams closes" .Values.shutdown.terminationGracePeriodSeconds .Values.shutdown.timeoutSeconds) }}
{{- end }}
{{- end }}
