// The trusted end of a Go program's own tests (MultiPL-E, HumanEval-X: `go test` files). The build
// copies it beside the program as referee_test.go, in the program's package; its TestMain reads the
// run's token ("<end function> <secret>", its whole stdin) before the tests run, and prints the secret
// only if every test passed and m.Run returned: os.Exit, runtime.Goexit in a test, a panic or a
// kill never print it. (A program with its own TestMain does not build: say so in its detail.)
package main

import (
	"io"
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	token, _ := io.ReadAll(os.Stdin)
	fields := strings.Fields(string(token))
	code := m.Run()
	if code == 0 && len(fields) == 2 {
		os.Stdout.WriteString("\n" + fields[1] + "\n")
	}
	os.Exit(code)
}
