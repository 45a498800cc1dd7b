{{- define "ingress.labels" -}}
app.kubernetes.io/name: ingress-controller
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
