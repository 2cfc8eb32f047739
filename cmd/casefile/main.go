// Command casefile is Casefile's single binary: every subcommand of the command line and the web
// server. Each subcommand lives in a file of its own and registers itself in init; this file holds
// what they share: the common flags, configuration, exit codes and output helpers.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/casefile/casefile"
)

// command is one subcommand. Run receives the arguments after the subcommand's name.
type command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, a *app, args []string) error
}

var commands = map[string]*command{}

// register adds a subcommand; called from init in each command's file.
func register(c *command) {
	if _, dup := commands[c.Name]; dup {
		panic("casefile: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// app is what every subcommand gets: where to read and write, and the configuration.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	log    *slog.Logger
	cfg    config
}

// usageError marks bad usage: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status: 0 success, 1 failure, 2 bad usage.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	a.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: logLevel(getenv("CASEFILE_LOG_LEVEL"))}))
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "casefile: unknown command %q (run 'casefile help')\n", args[0])
		return 2
	}
	err := c.Run(ctx, a, args[1:])
	if err == nil {
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "casefile %s: %s\n", c.Name, ue.msg)
		}
		return 2
	}
	// Only the safe message reaches the terminal; the cause goes to the log at debug level.
	fmt.Fprintf(stderr, "casefile %s: %s\n", c.Name, casefile.ErrorMessage(err))
	if casefile.ErrorKind(err) == casefile.EINTERNAL {
		a.log.Debug("command failed", "command", c.Name, "err", err)
	}
	return 1
}

func logLevel(s string) slog.Level {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "casefile: document abuses, assess them against the law, report to treaty bodies.")
	fmt.Fprintln(w, "\nUsage: casefile COMMAND [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nCommon flags: --data DIR (CASEFILE_DATA), --database-url URL (CASEFILE_DATABASE_URL), --json.")
	fmt.Fprintln(w, "Passphrase: CASEFILE_PASSPHRASE or CASEFILE_PASSPHRASE_FILE, else a prompt.")
}

// flags returns a FlagSet for a subcommand with the shared flags (--data, --database-url) bound
// to a.cfg. Parse it with a.parse, which allows flags after positional arguments.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("casefile "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	a.cfg = loadConfig(a.getenv)
	fs.StringVar(&a.cfg.DataDir, "data", a.cfg.DataDir, "data folder of the embedded store (CASEFILE_DATA)")
	fs.StringVar(&a.cfg.DatabaseURL, "database-url", a.cfg.DatabaseURL, "postgres:// URL; empty means the embedded store (CASEFILE_DATABASE_URL)")
	return fs
}

// parse parses args with fs, letting flags and positional arguments mix in any order
// ("search haloperidol --json" as well as "search --json haloperidol"). "--" ends the flags.
func (a *app) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// printJSON writes v as one indented JSON document on stdout.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// infof writes a message for the person at the terminal on stderr, so stdout stays parseable.
func (a *app) infof(format string, args ...any) {
	fmt.Fprintf(a.stderr, format+"\n", args...)
}
