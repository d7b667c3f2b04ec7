package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/airlock-sec/airlock/internal/engine"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
	"github.com/airlock-sec/airlock/internal/sbom"
)

func runSBOM(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("sbom", flag.ContinueOnError)
	format := fs.String("format", sbom.FormatCycloneDX, "output format: "+strings.Join(sbom.Formats(), " (1.6 JSON), ")+" (2.3 JSON)")
	output := fs.String("output", "", "write to this file instead of standard output")
	fs.StringVar(output, "o", "", "shorthand for --output")
	name := fs.String("name", "", "name of the described software (default: the first target's directory name)")
	quiet := fs.Bool("quiet", false, "do not print diagnostics on standard error")
	usage := "airlock sbom [--format cyclonedx|spdx] [-o FILE] TARGET...\n\nLists the packages of projects, lockfiles, environments and archives (identified, not analyzed) as CycloneDX 1.6 or SPDX 2.3 JSON with purls."
	targets, err := parseFlags(fs, args, stderr, usage)
	if err != nil {
		return ExitUsage, err
	}
	if len(targets) == 0 {
		return ExitUsage, usagef("no target given: name a project, lockfile, environment or archive")
	}
	f := strings.ToLower(*format)
	if f != sbom.FormatCycloneDX && f != sbom.FormatSPDX {
		return ExitUsage, usagef("--format %q is not allowed (allowed: %s)", *format, strings.Join(sbom.Formats(), ", "))
	}
	var mu sync.Mutex
	var comps []sbom.Component
	observe := func(in *rules.Input) {
		p := in.Package
		if p.Name == "" || p.Ecosystem == model.Unknown {
			return
		}
		c := sbom.Component{Dependency: model.Dependency{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Path: p.Path}}
		if p.Digest != "" {
			c.Hashes = append(c.Hashes, p.Digest)
		}
		if len(in.Declared) > 0 {
			c.Dev = true
			if p.Kind == "lockfile" || p.Kind == "manifest" {
				c.Path = "" // the declaring lines below say where
			}
		}
		for _, d := range in.Declared {
			c.Hashes = append(c.Hashes, d.Hashes...)
			c.Direct = c.Direct || d.Direct
			c.Dev = c.Dev && d.Dev
			if c.Source == "" {
				c.Source = d.Source
			}
			loc := d.Path
			if d.Line > 0 {
				loc = fmt.Sprintf("%s:%d", d.Path, d.Line)
			}
			c.Paths = append(c.Paths, loc)
		}
		if c.Version == "" && len(in.Declared) > 0 {
			c.Constraint = in.Declared[0].Constraint
		}
		mu.Lock()
		comps = append(comps, c)
		mu.Unlock()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	configureRegistries()
	rep, err := engine.New(engine.Options{ListOnly: true, Observe: observe}).Scan(ctx, targets)
	if err != nil {
		return ExitUsage, err
	}
	if !*quiet {
		for _, d := range rep.Diagnostics {
			fmt.Fprintln(stderr, "airlock sbom: "+d.String())
		}
	}
	subject := *name
	if subject == "" {
		abs, _ := filepath.Abs(targets[0])
		subject = filepath.Base(projectDir(abs))
	}
	m := sbom.Meta{Subject: subject, ToolName: "airlock", ToolVersion: Version, Time: time.Now()}
	if err := writeOutput(*output, stdout, func(w io.Writer) error { return sbom.Write(w, f, m, comps) }); err != nil {
		return ExitUsage, fmt.Errorf("write sbom: %w", err)
	}
	return ExitOK, nil
}
