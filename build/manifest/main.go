// Command manifest answers questions about plugin.json for the Makefile and checks
// that a built bundle holds everything the server needs.
//
//	manifest id                  prints the plugin id
//	manifest version             prints the plugin version
//	manifest check-bundle FILE   fails unless FILE holds every path of the bundle layout
package main

import (
	"fmt"
	"os"

	root "github.com/mattermost/mattermost-plugin-responsible-disclosure"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "manifest:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: manifest id | version | check-bundle FILE")
	}
	m := root.Manifest
	switch args[0] {
	case "id":
		fmt.Println(m.Id)
	case "version":
		fmt.Println(m.Version)
	case "check-bundle":
		if len(args) != 2 {
			return fmt.Errorf("usage: manifest check-bundle FILE")
		}
		f, err := os.Open(args[1]) //nolint:gosec // the path is the operator's own argument
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		missing, err := missingFromBundle(f, requiredPaths(&m))
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s is missing: %v", args[1], missing)
		}
		fmt.Printf("%s holds every required path\n", args[1])
	default:
		return fmt.Errorf("unknown command %q", args[0])
	}
	return nil
}
