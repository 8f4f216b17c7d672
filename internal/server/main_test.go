package server_test

import (
	"os"
	"testing"

	st "github.com/learnloop/learnloop/internal/server/servertest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	st.Cleanup()
	os.Exit(code)
}
