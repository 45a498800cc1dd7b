{{/*
The labels the platform's Kyverno policy requires on every workload, from the values
labels.team, labels.costCenter and environment of the chart that includes them.
*/}}
{{- define "platform-common.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
platform.myorg.io/team: {{ .Values.labels.team }}
platform.myorg.io/environment: {{ .Values.environment }}
platform.myorg.io/cost-center: {{ .Values.labels.costCenter }}
{{- end -}}

{{- define "platform-common.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
{{- end -}}
