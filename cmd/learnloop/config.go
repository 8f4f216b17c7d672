package main

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// env is what a command sees of its surroundings.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// Settings shared by every command, filled from flags, environment and config file.
	db, config, files, logLevel, logFormat string
}

// configurable marks a flag as settable from the environment (LEARNLOOP_<NAME>, or
// LEARNLOOP_<NAME>_FILE holding the value, for secrets) and from the config file.
func configurable(f *pflag.Flag) { f.Annotations = map[string][]string{"env": {envName(f.Name)}} }

func envName(flag string) string {
	return "LEARNLOOP_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// applyConfig fills every configurable flag the command line did not set: first from the
// environment, then from the config file. Flags beat environment beats file beats defaults.
func (e *env) applyConfig(cmd *cobra.Command) error {
	file := map[string]string{}
	path := e.config
	if path == "" {
		path = e.getenv("LEARNLOOP_CONFIG")
	}
	if path != "" {
		var err error
		if file, err = readConfigFile(path); err != nil {
			return err
		}
	}
	var firstErr error
	visit := func(f *pflag.Flag) {
		if firstErr != nil || f.Changed || f.Annotations["env"] == nil {
			return
		}
		name := envName(f.Name)
		v, ok := e.lookup(name)
		if !ok {
			if fv, fok := file[name]; fok {
				v, ok = fv, true
			}
		}
		if !ok {
			return
		}
		if err := f.Value.Set(v); err != nil {
			firstErr = fmt.Errorf("%s: %w", name, err)
		}
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	return firstErr
}

// lookup reads NAME, or the file named by NAME_FILE.
func (e *env) lookup(name string) (string, bool) {
	if v := e.getenv(name); v != "" {
		return v, true
	}
	if p := e.getenv(name + "_FILE"); p != "" {
		b, err := os.ReadFile(p)
		if err == nil {
			return strings.TrimSpace(string(b)), true
		}
	}
	return "", false
}

// readConfigFile reads KEY=VALUE lines with the environment variables' names; # starts a comment.
func readConfigFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || !strings.HasPrefix(k, "LEARNLOOP_") {
			return nil, fmt.Errorf("config file %s line %d: want LEARNLOOP_NAME=value", path, n)
		}
		out[k] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return out, sc.Err()
}

// logger builds the logger the flags ask for.
func (e *env) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(e.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: use debug, info, warn or error")
	}
	opts := &slog.HandlerOptions{Level: level}
	switch e.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: use text or json")
}

func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, fmt.Errorf("--trusted-proxies: %q is not an address or network", s)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not a network such as 10.0.0.0/8", s)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
