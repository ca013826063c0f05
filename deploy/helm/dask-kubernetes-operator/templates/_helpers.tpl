{{/* The full name of every object: the release name when it already names the chart. */}}
{{- define "dask-operator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "dask-operator.serviceAccountName" -}}
{{- default (include "dask-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "dask-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ default .Chart.Name .Values.nameOverride }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "dask-operator.labels" -}}
{{ include "dask-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The namespaces watched: the list given, else none (all) cluster-wide, else the release's. */}}
{{- define "dask-operator.watchNamespaces" -}}
{{- if .Values.watchNamespaces -}}
{{- join "," .Values.watchNamespaces -}}
{{- else if not .Values.rbac.cluster -}}
{{- .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{/*
What the operator does with the API, and nothing more (the same rules as
operator-role.yaml of each kustomize overlay; RbacRulesTest keeps them equal and checks them
against the calls the operator makes).
*/}}
{{- define "dask-operator.rules" -}}
- apiGroups: [kubernetes.dask.org]
  resources: [daskclusters]
  verbs: [get, list, watch, create, delete]
- apiGroups: [kubernetes.dask.org]
  resources: [daskjobs]
  verbs: [list, watch, delete]
- apiGroups: [kubernetes.dask.org]
  resources: [daskworkergroups]
  verbs: [get, list, watch, create, patch]
- apiGroups: [kubernetes.dask.org]
  resources: [daskclusters/status, daskworkergroups/status, daskjobs/status]
  verbs: [patch]
- apiGroups: [kubernetes.dask.org]
  resources: [daskautoscalers]
  verbs: [get, list, watch, patch]
- apiGroups: [kubernetes.dask.org]
  resources: [daskautoscalers/status]
  verbs: [patch]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, create, delete]
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
- apiGroups: [""]
  resources: [services]
  verbs: [list, watch, create]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end -}}
