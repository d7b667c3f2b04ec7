package advisory

import (
	"github.com/airlock-sec/airlock/internal/ecosystem/npm"
	"github.com/airlock-sec/airlock/internal/ecosystem/pypi"
)

// PEP440Scheme orders PyPI versions by PEP 440 (epochs, pre/post/dev
// releases, local versions; 1.0 == 1.0.0).
type PEP440Scheme struct{}

func (PEP440Scheme) Compare(a, b string) (int, error) {
	va, err := pypi.ParseVersion(a)
	if err != nil {
		return 0, err
	}
	vb, err := pypi.ParseVersion(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

// NpmScheme orders npm versions by SemVer precedence as node-semver does.
type NpmScheme struct{}

func (NpmScheme) Compare(a, b string) (int, error) {
	va, err := npm.ParseVersion(a)
	if err != nil {
		return 0, err
	}
	vb, err := npm.ParseVersion(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}
