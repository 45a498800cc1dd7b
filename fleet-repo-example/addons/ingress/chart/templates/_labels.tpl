{{- define "ingress.labels" -}}
app.kubernetes.io/name: ingress-controller
app.kubernetes.io/part-of: ingress
platform.myorg.io/team: {{ .Values.labels.team }}
platform.myorg.io/environment: {{ .Values.environment }}
platform.myorg.io/cost-center: {{ .Values.labels.costCenter }}
{{- end -}}
