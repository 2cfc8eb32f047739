package vault

import (
	"archive/tar"
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/casefile/casefile"
)

// A backup file is the keyring in the clear (its slots are what unlocks the rest), followed by
// one encrypted stream (PurposeBackup, under a key derived from the database key) holding a tar
// archive of: keys.json again (the copy that counts, being authenticated), the database snapshot,
// every evidence file, and backup.json last. Every byte after the keyring is authenticated, so
// that a truncated or altered backup is refused before anything is restored.
const backupMagic = "CASEFILE BACKUP v1\n"

// BackupInfoFile is the last entry of a backup's archive.
const BackupInfoFile = "backup.json"

// BackupInfo describes a backup.
type BackupInfo struct {
	CreatedAt time.Time `json:"created_at"`
	KeyID     string    `json:"key_id"`
	HeadSeq   int64     `json:"audit_head_seq"`
	HeadHash  string    `json:"audit_head_hash"`
	Files     int       `json:"files"`
	Bytes     int64     `json:"bytes"`
}

// BackupFile is one file to put in a backup: Name is its slash-separated path in the archive (and
// in the data folder after restore), Path where it is read from now.
type BackupFile struct {
	Name string
	Path string
}

// WriteBackup writes a backup of files onto w, encrypted under master, with keyring (the content
// of keys.json) in front. info is completed (files, bytes) and stored last.
func WriteBackup(w io.Writer, keyring []byte, master []byte, files []BackupFile, info *BackupInfo) error {
	const op = "vault.WriteBackup"
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(backupMagic)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(keyring)))
	bw.Write(n[:])
	bw.Write(keyring)
	ew, err := NewEncryptWriter(bw, master, PurposeBackup)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(ew)
	add := func(name string, size int64, r io.Reader) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: info.CreatedAt, Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err := io.Copy(tw, r)
		return err
	}
	if err := add("keys.json", int64(len(keyring)), strings.NewReader(string(keyring))); err != nil {
		return casefile.Wrap(op, err)
	}
	for _, f := range files {
		fh, err := os.Open(f.Path)
		if err != nil {
			return casefile.Wrap(op, err)
		}
		st, err := fh.Stat()
		if err == nil {
			err = add(f.Name, st.Size(), fh)
			info.Files++
			info.Bytes += st.Size()
		}
		fh.Close()
		if err != nil {
			return casefile.Wrap(op, err)
		}
	}
	ib, _ := json.MarshalIndent(info, "", "  ")
	if err := add(BackupInfoFile, int64(len(ib)), strings.NewReader(string(ib))); err != nil {
		return casefile.Wrap(op, err)
	}
	if err := tw.Close(); err != nil {
		return casefile.Wrap(op, err)
	}
	if err := ew.Close(); err != nil {
		return casefile.Wrap(op, err)
	}
	return casefile.Wrap(op, bw.Flush())
}

// ReadBackupKeyring reads the keyring at the front of a backup, so its slots can be unlocked.
func ReadBackupKeyring(r io.Reader) (*Keyring, error) {
	const op = "vault.ReadBackup"
	head := make([]byte, len(backupMagic)+4)
	if _, err := io.ReadFull(r, head); err != nil || string(head[:len(backupMagic)]) != backupMagic {
		return nil, casefile.Errorf(casefile.EINVALID, op, "not a Casefile backup (or truncated at its start)")
	}
	n := binary.BigEndian.Uint32(head[len(backupMagic):])
	if n > maxKeyring {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the backup's keyring is damaged (impossible length)")
	}
	kb := make([]byte, n)
	if _, err := io.ReadFull(r, kb); err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the backup is truncated inside its keyring")
	}
	k, err := ParseKeyring(kb)
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the backup's keyring is damaged: %s", casefile.ErrorMessage(err))
	}
	return k, nil
}

// ExtractBackup decrypts the rest of a backup (after ReadBackupKeyring) into dir, which must be
// empty. It returns the backup's info once every byte authenticated; on any error dir holds
// partial files the caller must remove, and nothing outside dir was touched.
func ExtractBackup(r io.Reader, master []byte, dir string) (*BackupInfo, error) {
	const op = "vault.ExtractBackup"
	dr, err := NewDecryptReader(r, master, PurposeBackup)
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the backup %s", casefile.ErrorMessage(err))
	}
	tr := tar.NewReader(dr)
	var info *BackupInfo
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, backupReadError(err)
		}
		name := h.Name
		if h.Typeflag != tar.TypeReg || path.Clean(name) != name || path.IsAbs(name) || strings.HasPrefix(name, "..") || strings.Contains(name, "/../") {
			return nil, casefile.Errorf(casefile.EINVALID, op, "the backup holds an entry %q that is not a plain file", clipID(name))
		}
		if name == BackupInfoFile {
			var bi BackupInfo
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&bi); err != nil {
				return nil, backupReadError(err)
			}
			info = &bi
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return nil, casefile.Wrap(op, err)
		}
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, casefile.Wrap(op, err)
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, backupReadError(err)
		}
	}
	// The archive's end marker may come before the stream's last part: read to the end, so that a
	// cut-off or altered tail is caught too.
	if _, err := io.Copy(io.Discard, dr); err != nil {
		return nil, backupReadError(err)
	}
	if info == nil {
		return nil, casefile.Errorf(casefile.EINVALID, op, "the backup has no %s: it is incomplete", BackupInfoFile)
	}
	return info, nil
}

func backupReadError(err error) error {
	if casefile.ErrorKind(err) == casefile.EINVALID {
		return casefile.Errorf(casefile.EINVALID, "vault.ExtractBackup", "the backup is %s", casefile.ErrorMessage(err))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return casefile.Errorf(casefile.EINVALID, "vault.ExtractBackup", "the backup is truncated")
	}
	return casefile.Wrap("vault.ExtractBackup", err)
}
