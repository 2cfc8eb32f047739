package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/casefile/casefile"
	"github.com/casefile/casefile/vault"
)

func init() {
	register(&command{Name: "identity", Summary: "identity vault: keygen, keeper add|list, add PERSON, reveal PERSON, reseal", Run: runIdentity})
}

const identityUsage = "casefile identity keygen --out FILE | keeper add RECIPIENT [--label L] | keeper list | add PERSON [--file FILE] | reveal PERSON --identity KEYFILE | reseal --identity KEYFILE"

func runIdentity(ctx context.Context, a *app, args []string) error {
	fs := a.flags("identity")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	out := fs.String("out", "", "where to write the new keeper key (keygen)")
	label := fs.String("label", "", "who the keeper is (keeper add)")
	file := fs.String("file", "", "a JSON file with name, other_names, contact, address, notes (add; default: standard input)")
	idFile := fs.String("identity", "", "the keeper's private key file (reveal)")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("%s", identityUsage)
	}
	ctx = actorContext(ctx)
	switch {
	case pos[0] == "keygen":
		if *out == "" {
			return usagef("casefile identity keygen --out FILE (keep it off the server)")
		}
		b, recipient, err := vault.GenerateKeeper()
		if err != nil {
			return err
		}
		if err := writeNew(*out, b); err != nil {
			return err
		}
		if *asJSON {
			return a.printJSON(map[string]string{"recipient": recipient, "identity_file": *out})
		}
		fmt.Fprintln(a.stdout, recipient)
		a.infof("Private key written to %s. Register the public key above with: casefile identity keeper add %s --label NAME", *out, recipient)
		return nil
	case pos[0] == "keeper" && len(pos) == 3 && pos[1] == "add":
		r, err := vault.ParseRecipient(pos[2])
		if err != nil {
			return err
		}
		s, err := a.openSecure(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		k := &casefile.IdentityKeeper{Label: *label, Recipient: r}
		if err := s.db.CreateIdentityKeeper(ctx, k); err != nil {
			return err
		}
		if *asJSON {
			return a.printJSON(k)
		}
		a.infof("Keeper %s added. Identities added from now on are sealed to it too.", k.ID)
		return nil
	case pos[0] == "keeper" && len(pos) == 2 && pos[1] == "list":
		s, err := a.openSecure(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		ks, err := s.db.FindIdentityKeepers(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			if ks == nil {
				ks = []*casefile.IdentityKeeper{}
			}
			return a.printJSON(map[string]any{"keepers": ks})
		}
		for _, k := range ks {
			fmt.Fprintf(a.stdout, "%s  %s  %s\n", k.ID, k.Recipient, k.Label)
		}
		return nil
	case pos[0] == "add" && len(pos) == 2:
		return identityAdd(ctx, a, pos[1], *file, *asJSON)
	case pos[0] == "reseal" && len(pos) == 1:
		if *idFile == "" {
			return usagef("casefile identity reseal --identity KEYFILE")
		}
		return identityReseal(ctx, a, *idFile, *asJSON)
	case pos[0] == "reveal" && len(pos) == 2:
		if *idFile == "" {
			return usagef("casefile identity reveal PERSON --identity KEYFILE")
		}
		return identityReveal(ctx, a, pos[1], *idFile, *asJSON)
	}
	return usagef("%s", identityUsage)
}

// identityAdd seals a person's identity to every keeper. The identity is read from a file or
// standard input, never from the command line, where it would stay in the shell's history.
func identityAdd(ctx context.Context, a *app, personID, file string, asJSON bool) error {
	var r io.Reader = a.stdin
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return casefile.Errorf(casefile.EINVALID, "identity add", "cannot open %s", file)
		}
		defer f.Close()
		r = f
	}
	var id casefile.Identity
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&id); err != nil {
		// The decoder's message may quote the input (a field name could be a real name): never
		// show it.
		why := "not valid JSON"
		if strings.Contains(err.Error(), "unknown field") {
			why = "it has a field other than these"
		} else if _, ok := err.(*json.UnmarshalTypeError); ok {
			why = "a field has the wrong type"
		}
		return casefile.Errorf(casefile.EINVALID, "identity add", "the identity must be a JSON object with name, other_names, contact, address, notes: %s", why)
	}
	id.PersonID = personID
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	sealed, err := vault.AddIdentity(ctx, s.db, &id)
	if err != nil {
		return err
	}
	ids := sealed.KeeperIDs
	if asJSON {
		return a.printJSON(map[string]any{"person_id": personID, "keepers": ids})
	}
	a.infof("Identity of %s sealed to %d keeper(s); this store cannot read it back.", personID, len(ids))
	return nil
}

// identityReveal opens a person's identity with a keeper's key. The reveal is recorded in the
// audit ledger before anything is shown.
func identityReveal(ctx context.Context, a *app, personID, idFile string, asJSON bool) error {
	f, err := os.Open(idFile)
	if err != nil {
		return casefile.Errorf(casefile.EINVALID, "identity reveal", "cannot open the identity file %s", idFile)
	}
	ids, err := vault.ParseKeeperIdentity(f)
	f.Close()
	if err != nil {
		return err
	}
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := vault.RevealIdentity(ctx, s.db, s.db, personID, ids)
	if err != nil {
		return err
	}
	if asJSON {
		return a.printJSON(id)
	}
	fmt.Fprintf(a.stdout, "Person:  %s\nName:    %s\n", id.PersonID, id.Name)
	if len(id.OtherNames) > 0 {
		fmt.Fprintf(a.stdout, "Also:    %s\n", strings.Join(id.OtherNames, "; "))
	}
	for _, l := range [][2]string{{"Contact", id.Contact}, {"Address", id.Address}, {"Notes", id.Notes}} {
		if l[1] != "" {
			fmt.Fprintf(a.stdout, "%-8s %s\n", l[0]+":", l[1])
		}
	}
	return nil
}

// identityReseal opens every identity the keeper's key can open and seals it again to the current
// keepers: how a keeper added later gets access to identities recorded before. Each re-seal is an
// audit entry; identities this key cannot open are counted and left as they are.
func identityReseal(ctx context.Context, a *app, idFile string, asJSON bool) error {
	f, err := os.Open(idFile)
	if err != nil {
		return casefile.Errorf(casefile.EINVALID, "identity reseal", "cannot open the identity file %s", idFile)
	}
	ids, err := vault.ParseKeeperIdentity(f)
	f.Close()
	if err != nil {
		return err
	}
	s, err := a.openSecure(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	all, err := s.db.FindSealedIdentities(ctx)
	if err != nil {
		return err
	}
	resealed, skipped := 0, 0
	for _, si := range all {
		id, err := vault.OpenIdentity(si.Sealed, ids)
		if casefile.ErrorKind(err) == casefile.EFORBIDDEN {
			skipped++
			continue
		}
		if err == nil {
			err = vault.CheckIdentityOwner(id, si.PersonID)
		}
		if err != nil {
			return casefile.Errorf(casefile.EINVALID, "identity reseal", "the identity of %s: %s", si.PersonID, casefile.ErrorMessage(err))
		}
		if err := s.db.RecordAccess(ctx, "reveal", "identity", si.PersonID); err != nil {
			return err
		}
		if _, err := vault.AddIdentity(ctx, s.db, id); err != nil {
			return err
		}
		resealed++
	}
	if asJSON {
		return a.printJSON(map[string]int{"resealed": resealed, "not_openable": skipped})
	}
	a.infof("Sealed %d identities again to every current keeper; %d could not be opened with this key and were left as they are.", resealed, skipped)
	return nil
}
