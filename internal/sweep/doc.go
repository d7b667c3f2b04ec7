// Package sweep is read-only incident response for one machine: it lists
// the Python and npm packages installed anywhere on the host (so a caller
// can match them against advisories such as MAL-2026-2144, litellm
// 1.82.7/1.82.8), and looks for what a compromised package leaves behind:
// startup hooks in Python site directories and persistence in systemd
// units, crontabs and shell startup files.
//
// # Where it looks
//
// Python: /usr and /usr/local (lib*/python*/{site,dist}-packages), every
// /opt/* prefix (conda when it has conda-meta, virtualenv when it has
// pyvenv.cfg), and per home ~/.local (user site), ~/.pyenv/versions/*
// (and their envs/*), conda installs (~/miniconda3, ~/anaconda3,
// ~/miniforge3, ~/mambaforge, ~/micromamba, ~/.conda/envs, with envs/*),
// ~/.local/share/uv/{python,tools}/*, pipx venvs; then every directory
// holding pyvenv.cfg below Options.Roots, the homes, /opt and /srv.
// Packages come from *.dist-info/METADATA and *.egg-info/PKG-INFO through
// internal/ecosystem/pypi, names PEP 503-normalized.
//
// npm: /usr/lib/node_modules, /usr/local/lib/node_modules,
// /opt/*/lib/node_modules, and per home the npm, nvm, fnm, volta, asdf, bun
// and pnpm global directories; then every node_modules directory below the
// searched directories. Packages come from internal/ecosystem/npm
// (nested, scoped and pnpm layouts).
//
// The search below Roots, homes, /opt and /srv does not follow symlinks,
// skips VCS metadata, caches and toolchain stores (~/.cache/pip, ~/.npm,
// go/pkg/mod, ~/.rustup, …), does not enter environments it already found,
// and stops at Options.MaxDepth levels and Options.MaxEntries entries per
// directory searched, saying so in a diagnostic.
//
// # What it reports
//
// Startup hooks, per site directory: a top-level .pth file whose lines
// Python executes ("import " / "import\t" at line start), when no
// installed distribution's RECORD or file list, no dpkg package
// (/var/lib/dpkg/info/*.md5sums, *.list) and no conda package
// (conda-meta/*.json) lists it (host/unowned-startup-hook), or when its
// owner's recorded hash no longer matches (host/modified-startup-hook);
// an owned, matching hook whose line spawns a process, restarts
// sys.executable, uses the network or decodes and runs code
// (host/startup-hook-payload, the real litellm 1.82.8 shape); and
// sitecustomize/usercustomize modules no one owns
// (host/unowned-sitecustomize). Packaging shims (setuptools'
// distutils-precedence and -nspkg lines, easy-install.pth, virtualenv,
// coverage) are recognized token by token and never reported when
// unowned.
//
// Persistence: Exec lines of systemd units (system and user, with
// drop-ins), crontab entries and /etc/cron.{hourly,daily,weekly,monthly}
// scripts, and shell startup files (~/.bashrc, ~/.profile, ~/.zshrc, …,
// /etc/profile, /etc/bash.bashrc, /etc/profile.d/*.sh) that run code from
// hidden or temporary directories, pipe downloads or base64 into
// interpreters, or point LD_PRELOAD, NODE_OPTIONS, PYTHONPATH or
// PYTHONSTARTUP into such directories. Shell text is parsed with
// mvdan.cc/sh (bash, or zsh for zsh files), falling back to line-by-line
// analysis. A file modified within Options.RecentWindow raises its
// findings one severity level. See Rules for IDs and severities.
//
// Each finding carries the host path, the line and a sanitized snippet.
// Results group findings per site directory (Kind "host-environment") and
// per persistence file (Kind "host-file"); the verdict follows the
// strongest finding: critical blocks, high and medium warn.
//
// # Safety
//
// The sweep only reads. Options.Root is a jail: every path is resolved
// component by component inside it, absolute symlink targets are taken
// relative to it (as in a chroot), links that climb above it are refused
// with a diagnostic, and every open goes through an os.Root. Nothing
// found is executed. Every file read is bounded by Options.MaxFileBytes
// (larger files: the beginning is examined, hashes are not checked, a
// diagnostic says so); FIFOs and devices are never opened for reading.
// Unreadable files and directories become diagnostics.
package sweep
