package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/learnloop/learnloop/internal/core"
)

// PasswordParams are argon2id's cost settings.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follow OWASP's argon2id recommendation (19 MiB, 2 passes, 1 lane): about 30 ms per
// hash on a current server core.
var DefaultParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// Password length limits. Long passphrases are welcome; the upper bound only stops a megabyte
// "password" from costing a hash.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// CheckPassword returns why pw is not acceptable as a new password, or nil.
func CheckPassword(pw, email string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return core.Invalid("password", "use at least %d characters", MinPasswordLen)
	case n > MaxPasswordLen:
		return core.Invalid("password", "use at most %d characters", MaxPasswordLen)
	case email != "" && strings.EqualFold(pw, email):
		return core.Invalid("password", "do not use your email address as your password")
	case strings.Count(pw, string([]rune(pw)[0])) == n:
		return core.Invalid("password", "use more than one repeated character")
	}
	return nil
}

// HashPassword returns pw hashed with argon2id in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash), which records its own parameters.
func HashPassword(pw string, p PasswordParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches encoded, comparing in constant time.
func VerifyPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 1024 || p.Memory > 4<<20 || p.Time > 64 || p.Threads == 0 {
		return false // not a hash this code wrote; refusing also bounds the work an odd one could ask for
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// randomToken returns n random bytes as URL-safe text.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
