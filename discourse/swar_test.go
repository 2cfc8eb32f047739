package discourse

import (
	"encoding/binary"
	"testing"
)

// TestMasks checks the eight-bytes-at-a-time classifications against the byte table for every
// byte value in every position.
func TestMasks(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			var b [8]byte
			for k := range b {
				b[k] = 'a' // a harmless neighbour
			}
			b[pos] = byte(c)
			x := binary.LittleEndian.Uint64(b[:])
			bit := uint64(0x80) << (8 * pos)
			cls := byteClass[c]
			wantWord := c >= 0x80 || cls == classWord
			if got := wordMask(x)&bit != 0; got != wantWord {
				t.Errorf("wordMask byte %#x at %d = %v", c, pos, got)
			}
			wantSpecial := cls == classTerm || cls == classNewline || c < 0x20 || (c >= 0x80 && cls != classWord)
			if got := specialMask(x)&bit != 0; got != wantSpecial {
				t.Errorf("specialMask byte %#x at %d = %v, want %v", c, pos, got, wantSpecial)
			}
			wantNonWord := cls != classWord || c < 0x80
			if got := nonWordMask(x)&bit != 0; got != wantNonWord && pos == 0 {
				t.Errorf("nonWordMask byte %#x = %v", c, got)
			}
		}
	}
}

func TestMasks_AllBytes(t *testing.T) {
	seed := uint64(1)
	for n := 0; n < 100000; n++ {
		seed = seed*6364136223846793005 + 1442695040888963407
		x := seed
		var wantW, wantS uint64
		for pos := 0; pos < 8; pos++ {
			c := byte(x >> (8 * pos))
			cls := byteClass[c]
			bit := uint64(0x80) << (8 * pos)
			if c >= 0x80 || cls == classWord {
				wantW |= bit
			}
			if cls == classTerm || cls == classNewline || c < 0x20 || (c >= 0x80 && cls != classWord) {
				wantS |= bit
			}
		}
		if wordMask(x) != wantW || specialMask(x) != wantS {
			t.Fatalf("%#x: wordMask %#x want %#x, specialMask %#x want %#x", x, wordMask(x), wantW, specialMask(x), wantS)
		}
	}
}

func TestMasks_Fused(t *testing.T) {
	seed := uint64(7)
	for n := 0; n < 100000; n++ {
		seed = seed*6364136223846793005 + 1442695040888963407
		w, s := masks(seed)
		if w != gather(wordMask(seed)) || s != gather(specialMask(seed)) {
			t.Fatalf("%#x: masks %#x %#x", seed, w, s)
		}
	}
}

func TestMayIgnoreIn(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			var b [8]byte
			for k := range b {
				b[k] = 0xd0 // a Cyrillic lead: not one of them
			}
			b[pos] = byte(c)
			want := uint64(0)
			if pos > 0 && mayIgnore[c] {
				want = 1
			}
			if got := mayIgnoreIn(binary.LittleEndian.Uint64(b[:])); got != want && !(pos > 0 && c >= 0xd8) {
				t.Errorf("byte %#x at %d: %d, want %d", c, pos, got, want)
			}
			if pos > 0 && mayIgnore[c] && mayIgnoreIn(binary.LittleEndian.Uint64(b[:])) != 1 {
				t.Errorf("byte %#x at %d not caught", c, pos)
			}
		}
	}
}
