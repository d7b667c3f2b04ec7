// Package pypi reads Python packaging metadata without executing or
// importing anything: core metadata (PKG-INFO / METADATA), wheel RECORD
// files, best-effort name/version from setup.cfg, pyproject.toml and
// setup.py, and installed environments (site-packages with dist-info and
// egg-info directories).
//
// Every parser takes a []byte whose size the caller has bounded, never
// panics, and returns an error describing the problem for bad input. Where
// useful, parsers return what they could read together with the error so
// the caller can record a diagnostic and go on.
package pypi
