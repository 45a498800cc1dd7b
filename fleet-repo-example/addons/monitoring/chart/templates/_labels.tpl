{{- define "monitoring.labels" -}}
platform.myorg.io/team: {{ .Values.labels.team }}
platform.myorg.io/environment: {{ .Values.environment }}
platform.myorg.io/cost-center: {{ .Values.labels.costCenter }}
{{- end -}}
