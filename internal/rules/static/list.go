package static

import "github.com/airlock-sec/airlock/internal/rules"

// List is the registry of static rules, in documentation order. Adding a
// rule means one file and one line here.
func List() []rules.Rule {
	return []rules.Rule{
		PthExec{},
		StartupCustomize{},
		SetupHook{},
		NpmInstallScript{},
		ExecDecoded{},
		EncodedPayload{},
		Obfuscation{},
		CredentialAccess{},
		EnvDump{},
		ExfilEndpoint{},
		Network{},
		Recon{},
		DNSExfil{},
		DownloadExec{},
		Persistence{},
		CloudMetadata{},
		KubernetesAbuse{},
		ReverseShell{},
		StealthSpawn{},
		SelfPropagation{},
		CryptoDrainer{},
		AIAgentAbuse{},
		BundledExecutable{},
		InstalledIntegrity{},
	}
}
