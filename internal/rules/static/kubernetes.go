package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// KubernetesAbuse flags code that uses a service-account token to create
// privileged workloads.
type KubernetesAbuse struct{}

func (KubernetesAbuse) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/kubernetes-abuse",
		Title: "takes over a Kubernetes cluster",
		Description: "Reading the pod's service-account token together with creating pods or daemonsets that are privileged, share the host PID/network namespaces or mount the host root " +
			"(litellm 1.82.8 created `node-setup-*` pods in kube-system). The Kubernetes client library names each of these in different modules; the rule needs them together in one file or decoded payload.",
		Severity:     model.Critical,
		Capabilities: []model.Capability{model.CapKubernetes, model.CapCredentials},
	}
}

func (KubernetesAbuse) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		token, create, priv := 0, 0, 0
		var privWhat string
		for _, s := range u.Strings {
			if len(s.Value) > 20000 || !mentions(s.Value, kubeWords) {
				continue
			}
			ls := strings.ToLower(s.Value)
			if token == 0 && strings.Contains(ls, "serviceaccount/token") {
				token = s.Line
			}
			if create == 0 && (strings.Contains(ls, "/pods") || strings.Contains(ls, "/daemonsets") || strings.Contains(ls, "kubectl apply") || strings.Contains(ls, "kubectl run") || strings.Contains(ls, "kubectl create")) {
				create = s.Line
			}
			for _, k := range []string{"hostpid", "privileged", "hostnetwork", "hostpath"} {
				if strings.Contains(ls, k) {
					priv = s.Line
					privWhat = k
				}
			}
		}
		if priv == 0 && token > 0 && create > 0 {
			// object keys in code ({hostPID: true}) are not strings
			lt := strings.ToLower(string(u.Unit.Text))
			for _, k := range []string{"hostpid", "privileged", "hostnetwork", "hostpath"} {
				if i := strings.Index(lt, k); i >= 0 {
					priv = strings.Count(lt[:i], "\n") + 1
					privWhat = k
					break
				}
			}
		}
		if token > 0 && create > 0 && priv > 0 {
			fd := rules.At(u, token, model.Critical, "uses the service-account token to create pods with "+shortQuote(privWhat), model.CapKubernetes, model.CapCredentials)
			r.Report(fd)
		} else if token > 0 && create > 0 && len(u.Unit.Layers) > 0 {
			fd := rules.At(u, token, model.High, "decoded code uses the service-account token against the pods API", model.CapKubernetes, model.CapCredentials)
			r.Report(fd)
		}
	})
}

var kubeWords = words("serviceaccount", "/pods", "/daemonsets", "kubectl", "hostpid", "privileged", "hostnetwork", "hostpath")
