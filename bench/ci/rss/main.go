// Command rss runs a command and reports its peak resident set size, exactly,
// from the rusage the kernel returns when the command is reaped (ru_maxrss,
// which on Linux also covers the descendants it waited for).
//
//	rss [-o FILE] COMMAND [ARG...]
//
// The command's standard input, output and error are its own. One line goes
// to FILE (default: standard error):
//
//	maxrss_kib=N wall_s=S user_s=S sys_s=S exit=N
//
// wall_s runs from just before the command is started to just after it is
// reaped, so it leaves out rss's own start-up. rss exits with the command's
// exit code (128+signal when it was killed), or 125 when it could not run it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	out := flag.String("o", "", "write the measurement line to `FILE` instead of standard error")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: rss [-o FILE] COMMAND [ARG...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(125)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		fmt.Fprintln(os.Stderr, "rss:", err)
		os.Exit(125)
	}
	st := cmd.ProcessState
	ru, ok := st.SysUsage().(*syscall.Rusage)
	if !ok {
		fmt.Fprintln(os.Stderr, "rss: no rusage on this system")
		os.Exit(125)
	}
	code := st.ExitCode()
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		code = 128 + int(ws.Signal())
	}
	line := fmt.Sprintf("maxrss_kib=%d wall_s=%.6f user_s=%.6f sys_s=%.6f exit=%d\n",
		ru.Maxrss, wall.Seconds(), tv(ru.Utime), tv(ru.Stime), code)
	if *out == "" {
		os.Stderr.WriteString(line)
	} else if err := os.WriteFile(*out, []byte(line), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "rss:", err)
		os.Exit(125)
	}
	os.Exit(code)
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
