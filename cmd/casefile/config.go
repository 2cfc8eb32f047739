package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/casefile/casefile"
	"golang.org/x/term"
)

// config is the effective configuration: flags, then CASEFILE_* variables, then defaults.
type config struct {
	DataDir        string `json:"data_dir"`
	DatabaseURL    string `json:"database_url"`
	Addr           string `json:"addr"`
	passphrase     string
	passphraseFile string
}

func loadConfig(getenv func(string) string) config {
	c := config{
		DataDir:        getenv("CASEFILE_DATA"),
		DatabaseURL:    getenv("CASEFILE_DATABASE_URL"),
		Addr:           getenv("CASEFILE_ADDR"),
		passphrase:     getenv("CASEFILE_PASSPHRASE"),
		passphraseFile: getenv("CASEFILE_PASSPHRASE_FILE"),
	}
	if c.DataDir == "" {
		c.DataDir = "./casefile-data"
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	return c
}

// passphrase returns the store passphrase from CASEFILE_PASSPHRASE, CASEFILE_PASSPHRASE_FILE or,
// on a terminal, a prompt. It returns fallback (which may be empty) when none is available.
func (a *app) passphrase(prompt string, fallback string) (string, error) {
	if a.cfg.passphrase != "" {
		return a.cfg.passphrase, nil
	}
	if a.cfg.passphraseFile != "" {
		b, err := readSmallFile(a.cfg.passphraseFile, 64<<10)
		if err == nil && len(b) > 64<<10 {
			return "", casefile.Errorf(casefile.EINVALID, "passphrase", "CASEFILE_PASSPHRASE_FILE is larger than 64 KiB: it is not a passphrase file")
		}
		if err != nil {
			return "", casefile.Errorf(casefile.EINVALID, "passphrase", "cannot read CASEFILE_PASSPHRASE_FILE")
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	if fallback != "" {
		return fallback, nil
	}
	if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(a.stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", casefile.Errorf(casefile.EINVALID, "passphrase", "cannot read the passphrase")
		}
		return string(b), nil
	}
	if a.stdin != nil {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if p := strings.TrimRight(line, "\r\n"); p != "" {
			return p, nil
		}
		_ = err
	}
	return "", casefile.Errorf(casefile.EINVALID, "passphrase", "no passphrase: set CASEFILE_PASSPHRASE or CASEFILE_PASSPHRASE_FILE")
}

// readSmallFile reads at most max+1 bytes of a secret's file: enough for the caller to tell that
// it is larger than max, never a read without end (CASEFILE_PASSPHRASE_FILE=/dev/zero).
func readSmallFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max+1))
}
