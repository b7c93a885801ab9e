package ofaccsv

import (
	"strings"

	"concord"
	"concord/internal/importer"
)

// schemaOf maps SDN_Type to a schema.
func schemaOf(typ string) string {
	switch strings.ToLower(typ) {
	case "individual":
		return "Person"
	case "vessel":
		return "Vessel"
	case "aircraft":
		return "Airplane"
	}
	return "Organization"
}

// builder assembles the entities of one record.
type builder struct {
	l      *list
	row    *sdnRow
	main   *concord.Entity
	schema *concord.Schema
	deps   []*concord.Entity
	n      map[string]int // dependants numbered per kind
}

// record maps one SDN entry, with its alternate names, addresses and remarks,
// to the listed entity followed by its dependants.
func (l *list) record(row *sdnRow) importer.Record {
	b := &builder{l: l, row: row, n: map[string]int{}}
	e := concord.NewEntity(entityID(row.ent), schemaOf(row.typ))
	b.main, b.schema = e, concord.SchemaByName(e.Schema)

	e.Add("name", row.name)
	if e.Schema == "Person" {
		if last, first, ok := strings.Cut(row.name, ","); ok {
			e.Add("lastName", strings.TrimSpace(last))
			e.Add("firstName", strings.TrimSpace(first))
		}
	}
	if e.Schema == "Airplane" {
		e.Add("registrationNumber", row.name) // OFAC names aircraft by tail number
	}
	for _, p := range strings.Split(row.program, "] [") {
		e.Add("program", strings.Trim(p, "[] "))
	}
	b.put("position", row.title, "Title: "+row.title)
	b.put("callSign", row.callSign, "Call Sign: "+row.callSign)
	b.put("type", row.vessType, "Vessel Type: "+row.vessType)
	b.put("tonnage", strings.ReplaceAll(row.tonnage, ",", ""), "Tonnage: "+row.tonnage)
	b.put("grossRegisteredTonnage", strings.ReplaceAll(row.grt, ",", ""), "GRT: "+row.grt)
	if row.vessFlag != "" {
		b.country("flag", row.vessFlag, "Vessel Flag: "+row.vessFlag)
	}
	if row.vessOwner != "" {
		if id := l.byName[row.vessOwner]; id != "" && b.schema.HasProp("owner") {
			e.Add("owner", id)
		} else {
			e.Add("notes", "Vessel Owner: "+row.vessOwner)
		}
	}

	for _, a := range l.alts[row.ent] {
		b.alt(a)
	}
	for _, a := range l.adds[row.ent] {
		b.address(a)
	}
	for _, c := range parseRemarks(row.remarks) {
		b.remark(c)
	}
	return importer.Record{Ref: ref(row.ent), Entities: append([]*concord.Entity{e}, b.deps...)}
}

// put adds value to prop of the listed entity when its schema has prop, and
// note to its notes otherwise.
func (b *builder) put(prop, value, note string) {
	if value == "" {
		return
	}
	if b.schema.HasProp(prop) {
		b.main.Add(prop, value)
		return
	}
	b.main.Add("notes", note)
}

// country adds the country named by name to prop, or note to notes when the
// name is not a country or the schema lacks prop.
func (b *builder) country(prop, name, note string) {
	if cc, ok := concord.CountryCode(name); ok && b.schema.HasProp(prop) {
		b.main.Add(prop, cc)
		return
	}
	b.main.Add("notes", note)
}

func (b *builder) dep(kind, schema string) *concord.Entity {
	b.n[kind]++
	e := concord.NewEntity(dependantID(b.row.ent, kind, b.n[kind]), schema)
	b.deps = append(b.deps, e)
	return e
}

func (b *builder) alt(a altRow) {
	t := strings.ToLower(a.typ)
	switch {
	case strings.Contains(t, "weak") || strings.Contains(strings.ToLower(a.rm), "weak"):
		b.main.Add("weakAlias", a.name)
	case t == "fka":
		b.main.Add("previousName", a.name)
	default: // aka, nka
		b.main.Add("alias", a.name)
	}
	if a.rm != "" && !strings.EqualFold(a.rm, "weak") {
		b.main.Add("notes", a.name+": "+a.rm)
	}
}

func (b *builder) address(a addRow) {
	var parts []string
	for _, p := range []string{a.address, a.city, a.country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 && a.remarks == "" {
		return
	}
	ad := concord.NewEntity("ofac-"+a.ent+"-addr-"+a.num, "Address")
	b.deps = append(b.deps, ad)
	full := strings.Join(parts, ", ")
	ad.Add("full", full)
	ad.Add("street", a.address)
	ad.Add("city", a.city)
	ad.Add("notes", a.remarks)
	if region, ok := strings.CutPrefix(a.country, "Region: "); ok {
		ad.Add("region", region)
	} else if cc, ok := concord.CountryCode(a.country); ok {
		ad.Add("country", cc)
		b.main.Add("country", cc)
	}
	b.main.Add("address", full)
	b.main.Add("addressEntity", ad.ID)
}

func (b *builder) remark(c clause) {
	e := b.main
	switch c.Kind {
	case kindBirthDate:
		if b.schema.HasProp("birthDate") {
			e.Add("birthDate", c.Dates...)
			return
		}
	case kindDateProp:
		if b.schema.HasProp(c.Prop) {
			e.Add(c.Prop, c.Dates...)
			return
		}
	case kindBirthPlace:
		if b.schema.HasProp("birthPlace") {
			e.Add("birthPlace", c.Value)
			return
		}
	case kindNationality:
		b.country("nationality", c.Value, c.Raw)
		return
	case kindCitizenship:
		b.country("citizenship", c.Value, c.Raw)
		return
	case kindGender:
		if b.schema.HasProp("gender") {
			e.Add("gender", c.Value)
			return
		}
	case kindAlias:
		e.Add("alias", c.Value)
		return
	case kindPreviousName:
		e.Add("previousName", c.Value)
		return
	case kindLink:
		b.link(c.Value)
		return
	case kindPassport, kindIdentifier:
		b.document(c)
		return
	case kindCrypto:
		w := b.dep("wallet", "CryptoWallet")
		w.Add("holder", e.ID)
		w.Add("publicKey", c.Value)
		w.Add("currency", c.Currency)
		return
	case kindProp:
		if b.schema.Props[c.Prop] == concord.TypeCountry {
			b.country(c.Prop, c.Value, c.Raw)
			return
		}
		if b.schema.HasProp(c.Prop) {
			e.Add(c.Prop, c.Value)
			return
		}
	case kindNote:
		if c.Raw == b.row.title {
			return // the title repeated in the remarks
		}
	}
	e.Add("notes", c.Raw)
}

// link records "Linked To: NAME" as an UnknownLink to the SDN entry of that
// name, or one that names it in its summary when no single entry has it.
func (b *builder) link(name string) {
	l := b.dep("link", "UnknownLink")
	l.Add("subject", b.main.ID)
	l.Add("role", "Linked To")
	id := b.l.byName[name]
	if id == "" {
		id = b.l.byName[name+"."] // the list's final period was taken for the clause's end
	}
	if id != "" {
		l.Add("object", id)
	} else {
		l.Add("summary", name)
	}
}

// document records a passport or other identifier: the number on the listed
// entity (when its schema has the property) and a Passport or Identification
// entity with the details.
func (b *builder) document(c clause) {
	schema := "Identification"
	if c.Kind == kindPassport {
		schema = "Passport"
	}
	if b.schema.HasProp(c.Prop) {
		b.main.Add(c.Prop, c.Value)
	} else {
		b.main.Add("notes", c.Raw)
	}
	d := b.dep("doc", schema)
	d.Add("holder", b.main.ID)
	d.Add("number", c.Value)
	d.Add("type", c.Label)
	if c.Country != "" {
		if cc, ok := concord.CountryCode(c.Country); ok {
			d.Add("country", cc)
		} else {
			d.Add("authority", c.Country)
		}
	}
	d.Add("startDate", c.Issued)
	d.Add("endDate", c.Expires)
}
