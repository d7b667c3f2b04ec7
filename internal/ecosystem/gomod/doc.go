// Package gomod reads Go module files without running the go command:
// go.mod (ParseGoModFile, ParseGoMod) and go.sum (ReadGoSum, ParseGoSum),
// and checks module paths and versions the way the go command does
// (ValidModulePath, ValidVersion, IsPseudoVersion).
//
// The go.mod reader follows the grammar of golang.org/x/mod/modfile
// (which this package does not import): "//" comments only, tokens split
// at spaces and at ( ) [ ] { } ,, interpreted "…" strings, factored
// "verb ( … )" blocks with one entry per line. Where the go command would
// refuse the whole file, this package refuses only the bad line: each one
// becomes a diagnostic ("line N: …") and parsing goes on with the next
// line, so one planted bad line cannot hide the rest of the file. A file
// with any diagnostic is one the go command would (at least partly)
// reject.
//
// Choices made where the go command gives no single answer:
//
//   - A require whose version is not canonical ("master", "v1.2",
//     "latest") is a query the go command resolves only when it may update
//     go.mod; it becomes an unpinned Dependency (Version "", Constraint the
//     query) with a diagnostic.
//   - Back-quoted strings are lexed as single tokens, as modfile does, but
//     modfile rejects them as paths and versions ("unquoted string cannot
//     contain quote"), so they are diagnostics here too.
//   - go.sum lines for "version/go.mod" hash only a module's go.mod file:
//     the go command read that file while selecting versions but did not
//     need the module's code. ReadGoSum returns them (SumEntry.GoMod);
//     ParseGoSum leaves them out and returns one Dependency per
//     module@version whose code is hashed.
//
// Every entry point takes data already read by the caller and refuses
// more than MaxFileSize (16 MiB) with ErrTooLarge. A file yields at most
// 100 diagnostics (and one counting the rest) and 100 000 directives or
// go.sum lines; lines hold at most 32 tokens.
package gomod
