package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/spf13/cobra"

	"concord"
	"concord/media"
	"concord/media/pdq"
)

func (m *Main) mediaCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "media",
		Short: "Hash pictures (PDQ, MD5, SHA-256) and match them against hash lists",
		Long: `Propaganda media are shared as hashes, never as pictures: the PDQ perceptual
hash (256 bits, 64 hex digits) finds a picture again after resizing,
re-encoding, cropping a little, colour changes or a watermark; MD5 and SHA-256
find the very same file. Two PDQ hashes match when they differ in at most 31
bits. A hash of quality below 50 (a flat or tiny picture) is unreliable: it is
flagged, and not matched unless asked.

JPEG, PNG, GIF, WebP, BMP and TIFF are read, the format told by the content;
the EXIF orientation is applied. Files over 50 MiB or pictures over 40
megapixels are refused before decoding (--max-bytes, --max-pixels).`,
	}
	cmd.AddCommand(m.mediaHashCommand(), m.mediaMatchCommand(), m.mediaImportCommand(), m.mediaExportCommand(), m.mediaBenchCommand())
	return cmd
}

// mediaFlags are the limits shared by the media commands.
type mediaFlags struct {
	maxBytes, maxPixels int64
	workers             int
}

func (f *mediaFlags) add(cmd *cobra.Command) {
	d := media.DefaultLimits()
	cmd.Flags().Int64Var(&f.maxBytes, "max-bytes", d.MaxBytes, "largest file read")
	cmd.Flags().Int64Var(&f.maxPixels, "max-pixels", d.MaxPixels, "largest width × height decoded")
	cmd.Flags().IntVar(&f.workers, "workers", 0, "files hashed at once (default: number of CPUs)")
}

func (f *mediaFlags) limits() (media.Limits, error) {
	if f.maxBytes <= 0 || f.maxPixels <= 0 {
		return media.Limits{}, concord.Errorf(concord.EINVALID, "--max-bytes and --max-pixels must be positive")
	}
	return media.Limits{MaxBytes: f.maxBytes, MaxPixels: f.maxPixels}, nil
}

// hashed is the outcome of hashing one file.
type hashed struct {
	name string
	res  *media.Result
	err  error
}

// hashFiles hashes the named files ("-" is stdin) on workers goroutines and
// calls fn with each outcome in the order of names.
func (m *Main) hashFiles(names []string, o media.Options, workers int, fn func(hashed) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(names))
	out := make([]chan hashed, len(names))
	for i := range out {
		out[i] = make(chan hashed, 1)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var h media.Hasher
			for i := range next {
				res, err := m.hashFile(&h, names[i], o)
				out[i] <- hashed{name: names[i], res: res, err: err}
			}
		}()
	}
	go func() {
		for i := range names {
			next <- i
		}
		close(next)
	}()
	var first error
	for i := range names {
		r := <-out[i]
		if first == nil {
			first = fn(r)
		}
	}
	wg.Wait()
	return first
}

func (m *Main) hashFile(h *media.Hasher, name string, o media.Options) (*media.Result, error) {
	var r io.Reader = m.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, concord.Errorf(concord.EINVALID, "%v", err)
		}
		defer f.Close()
		r = f
	}
	res, err := h.Hash(r, o)
	if err != nil {
		return nil, &concord.Error{Code: concord.ErrorCode(err), Message: name, Err: err}
	}
	return res, nil
}

func (m *Main) mediaHashCommand() *cobra.Command {
	var (
		flags         mediaFlags
		dihedral, asJ bool
	)
	cmd := &cobra.Command{
		Use:   "hash FILE...",
		Short: "Print the PDQ hash and quality of each picture",
		Long: `Print one line per file, in the order given:

  HEX QUALITY FILE

HEX is the PDQ hash (64 hex digits, the form ThreatExchange and
Hasher-Matcher-Actioner exchange) and QUALITY its quality, 0..100; below 50
the hash is unreliable and a warning goes to stderr. With --dihedral the seven
hashes the picture would have if rotated or flipped follow, indented, one a
line ("  rotate90 HEX"). --json writes one JSON object per file instead, with
the format, size, MD5, SHA-256, width and height (as shown) and orientation.

A file that cannot be hashed (not a picture, truncated, too large) is reported
on stderr and skipped; the exit status is then 3. "-" reads stdin.`,
		Example: `  concord media hash photo.jpg
  concord media hash --dihedral photo.jpg
  concord media hash --json *.png > hashes.jsonl`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lim, err := flags.limits()
			if err != nil {
				return err
			}
			w := bufio.NewWriter(m.Stdout)
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			failed := 0
			err = m.hashFiles(args, media.Options{Limits: lim, Dihedral: dihedral}, flags.workers, func(r hashed) error {
				if r.err != nil {
					failed++
					fmt.Fprintf(m.Stderr, "concord: %v\n", r.err)
					return nil
				}
				if !r.res.Reliable() {
					fmt.Fprintf(m.Stderr, "concord: %s: quality %d is below %d: the hash is unreliable\n", r.name, r.res.Quality, pdq.MinQuality)
				}
				if asJ {
					return enc.Encode(struct {
						File string `json:"file"`
						*media.Result
					}{r.name, r.res})
				}
				fmt.Fprintf(w, "%s %d %s\n", r.res.PDQ, r.res.Quality, r.name)
				for i, h := range r.res.Dihedral[min(1, len(r.res.Dihedral)):] {
					fmt.Fprintf(w, "  %s %s\n", pdq.Dihedral(i+1), h)
				}
				return nil
			})
			if ferr := w.Flush(); err == nil {
				err = ferr
			}
			if err != nil {
				return err
			}
			if failed > 0 {
				return &exitError{code: exitRowsSkipped, msg: fmt.Sprintf("%d of %d files not hashed", failed, len(args))}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dihedral, "dihedral", false, "also print the hashes of the seven rotations and flips")
	cmd.Flags().BoolVar(&asJ, "json", false, "one JSON object per file, with MD5, SHA-256, size and orientation")
	flags.add(cmd)
	return cmd
}
