package static

import (
	"strings"

	"github.com/airlock-sec/airlock/internal/analyze"
	"github.com/airlock-sec/airlock/internal/model"
	"github.com/airlock-sec/airlock/internal/rules"
)

// StealthSpawn flags processes started hidden or detached, and code that
// starts the Python interpreter again from a startup hook.
type StealthSpawn struct{}

func (StealthSpawn) Meta() rules.Meta {
	return rules.Meta{
		ID:    "static/stealth-spawn",
		Title: "spawns hidden or detached processes",
		Description: "Child processes with output discarded and detached from the parent (`stdout=DEVNULL` with `start_new_session`, `creationflags=CREATE_NO_WINDOW`/`DETACHED_PROCESS`, " +
			"`spawn(..., {detached: true})` + `unref()`, `-WindowStyle Hidden`, `nohup … &`) keep running after `pip`/`npm` returns and hide their errors. " +
			"Starting `sys.executable` from startup code re-runs every `.pth` in the child: litellm 1.82.8's fork bomb.",
		Severity:     model.High,
		Capabilities: []model.Capability{model.CapStealth, model.CapProcess},
	}
}

func (StealthSpawn) Check(in *rules.Input, r *rules.Reporter) {
	in.EachFacts(func(f *rules.File, u *analyze.Facts) {
		for _, c := range u.Calls {
			if !analyze.IsProcessCall(c.Callee) {
				continue
			}
			var why []string
			if v, ok := c.Keywords["creationflags"]; ok && (strings.Contains(v, "CREATE_NO_WINDOW") || strings.Contains(v, "DETACHED_PROCESS") || strings.Contains(v, "0x08000000") || strings.Contains(v, "134217728")) {
				why = append(why, "no window")
			}
			if v, ok := c.Keywords["start_new_session"]; ok && v == "True" {
				why = append(why, "new session")
			}
			if v, ok := c.Keywords["detached"]; ok && v == "true" {
				why = append(why, "detached")
			}
			// output thrown away by a call that does not wait for the child:
			// the process outlives pip/npm and its errors are never seen
			background := c.Callee == "subprocess.Popen" || strings.HasPrefix(c.Callee, "child_process.spawn") && c.Callee != "child_process.spawnSync" || c.Callee == "child_process.exec" || c.Callee == "child_process.execFile" || c.Callee == "os.spawnl"
			discarded := strings.Contains(c.Keywords["stdout"], "DEVNULL") && strings.Contains(c.Keywords["stderr"], "DEVNULL") || c.Keywords["stdio"] == "ignore"
			if background && discarded {
				why = append(why, "output discarded")
			}
			if strings.Contains(strings.ToLower(c.Text), "-windowstyle hidden") || strings.Contains(strings.ToLower(c.Text), "-w hidden") {
				why = append(why, "hidden window")
			}
			reexec := false
			for _, a := range c.Args {
				if a.Name == "sys.executable" {
					reexec = true
				}
				for _, w := range a.List {
					if w == "$sys.executable" {
						reexec = true
					}
				}
			}
			if reexec && u.Unit.Context == model.Startup {
				fd := rules.AtCall(u, c, model.High, "startup code starts \"sys.executable\", which runs the same startup hook again (fork bomb)", model.CapStealth, model.CapProcess)
				fd.Evidence = c.Text
				r.Report(fd)
			}
			if len(why) == 0 {
				continue
			}
			sev := model.Medium
			if u.Unit.Context == model.Install || u.Unit.Context == model.Startup {
				sev = model.High
			}
			fd := rules.AtCall(u, c, sev, "spawns a hidden process ("+strings.Join(why, ", ")+") with "+shortQuote(c.Callee), model.CapStealth, model.CapProcess)
			fd.Evidence = c.Text
			r.Report(fd)
		}
	})
}
