{{/* Names */}}
{{- define "fleetwarden.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "fleetwarden.fullname" -}}
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

{{- define "fleetwarden.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "fleetwarden.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Selector labels: stable across upgrades. */}}
{{- define "fleetwarden.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fleetwarden.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The labels the platform's admission policy requires on workloads and pods. */}}
{{- define "fleetwarden.platformLabels" -}}
platform.myorg.io/team: {{ required "platformLabels.team is required" .Values.platformLabels.team | quote }}
platform.myorg.io/environment: {{ required "platformLabels.environment is required" .Values.platformLabels.environment | quote }}
platform.myorg.io/cost-center: {{ required "platformLabels.costCenter is required" .Values.platformLabels.costCenter | quote }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "fleetwarden.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "fleetwarden.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: fleetwarden
{{ include "fleetwarden.platformLabels" . }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Where each entry of .Values.secrets is mounted and which configuration key points at the file.
*/}}
{{- define "fleetwarden.secretMounts" -}}
slackToken: {dir: slack, configKey: slack.tokenFile}
githubToken: {dir: github, configKey: github.tokenFile}
webhookSecret: {dir: webhook, configKey: webhook.secretFile}
fleetToken: {dir: fleet-token, configKey: fleet.tokenFile}
fleetSshKey: {dir: fleet-ssh, configKey: fleet.sshKeyFile}
fleetKnownHosts: {dir: fleet-known-hosts, configKey: fleet.knownHostsFile}
databasePassword: {dir: database, configKey: store.passwordFile}
kubeconfig: {dir: kubeconfig, configKey: kube.kubeconfig}
apiToken: {dir: http-token, configKey: http.tokenFile}
chartCredentials: {dir: chart-credentials, configKey: helm.credentialsFile}
{{- end }}

{{- define "fleetwarden.secretRoot" -}}/var/run/secrets/fleetwarden{{- end }}
{{- define "fleetwarden.configDir" -}}/etc/fleetwarden{{- end }}

{{/*
config.yaml: .Values.config, with the keys the chart owns set from the rest of the values
(workDir, http.port, schedules.dir, the ...File key of every configured Secret, and the
kubeconfig Secret allow-list kube.kubeconfigSecrets.namespace/names from rbac.kubeconfigSecrets).
*/}}
{{- define "fleetwarden.configYaml" -}}
{{- $cfg := deepCopy (default dict .Values.config) }}
{{- $owned := dict "workDir" .Values.workDir.path "http" (dict "port" (int .Values.http.port)) "schedules" (dict "dir" (printf "%s/schedules" (include "fleetwarden.configDir" .))) }}
{{- $mounts := include "fleetwarden.secretMounts" . | fromYaml }}
{{- range $entry, $m := $mounts }}
{{- $s := index $.Values.secrets $entry }}
{{- if and $s $s.existingSecret }}
{{- $parts := splitList "." $m.configKey }}
{{- $section := index $parts 0 }}
{{- if not (hasKey $owned $section) }}
{{- $_ := set $owned $section (dict) }}
{{- end }}
{{- $_ := set (get $owned $section) (index $parts 1) (printf "%s/%s/%s" (include "fleetwarden.secretRoot" $) $m.dir $s.key) }}
{{- end }}
{{- end }}
{{- with .Values.rbac.kubeconfigSecrets }}
{{- if .names }}
{{- if not (hasKey $owned "kube") }}
{{- $_ := set $owned "kube" (dict) }}
{{- end }}
{{- $_ := set (get $owned "kube") "kubeconfigSecrets" (dict "namespace" .namespace "names" (join "," .names)) }}
{{- end }}
{{- end }}
{{- toYaml (mustMergeOverwrite $cfg $owned) }}
{{- end }}

{{- define "fleetwarden.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
