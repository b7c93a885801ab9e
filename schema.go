package concord

import "sort"

// PropType is the type of a property value, as in FollowTheMoney.
type PropType string

// Property types.
const (
	TypeName       PropType = "name"
	TypeString     PropType = "string"
	TypeText       PropType = "text"
	TypeDate       PropType = "date"
	TypeCountry    PropType = "country"
	TypeIdentifier PropType = "identifier"
	TypeEntity     PropType = "entity"
	TypeGender     PropType = "gender"
	TypeAddress    PropType = "address"
	TypeURL        PropType = "url"
	TypeEmail      PropType = "email"
	TypePhone      PropType = "phone"
	TypeNumber     PropType = "number"
	TypeTopic      PropType = "topic"
)

// Schema describes a kind of entity: its name, its parents and the properties
// it may carry (inherited ones included). Matchable schemata are indexed by the
// matching engine.
type Schema struct {
	Name      string
	Extends   []string
	Matchable bool
	Props     map[string]PropType
}

// HasProp reports whether the schema (or one of its parents) defines prop.
func (s *Schema) HasProp(prop string) bool { _, ok := s.Props[prop]; return ok }

// Is reports whether s is name or descends from it.
func (s *Schema) Is(name string) bool {
	if s.Name == name {
		return true
	}
	for _, p := range s.Extends {
		if ps := schemata[p]; ps != nil && ps.Is(name) {
			return true
		}
	}
	return false
}

var schemata = map[string]*Schema{}

func defSchema(name string, matchable bool, extends []string, props map[string]PropType) {
	s := &Schema{Name: name, Extends: extends, Matchable: matchable, Props: map[string]PropType{}}
	for _, p := range extends {
		for k, v := range schemata[p].Props {
			s.Props[k] = v
		}
	}
	for k, v := range props {
		s.Props[k] = v
	}
	schemata[name] = s
}

func init() {
	defSchema("Thing", false, nil, map[string]PropType{
		"name": TypeName, "alias": TypeName, "weakAlias": TypeName, "previousName": TypeName,
		"summary": TypeText, "description": TypeText, "notes": TypeText,
		"country": TypeCountry, "address": TypeAddress, "addressEntity": TypeEntity,
		"sourceUrl": TypeURL, "program": TypeString, "topics": TypeTopic,
		"createdAt": TypeDate, "modifiedAt": TypeDate,
	})
	defSchema("LegalEntity", true, []string{"Thing"}, map[string]PropType{
		"email": TypeEmail, "phone": TypePhone, "website": TypeURL, "legalForm": TypeString,
		"incorporationDate": TypeDate, "dissolutionDate": TypeDate, "jurisdiction": TypeCountry,
		"registrationNumber": TypeIdentifier, "idNumber": TypeIdentifier, "taxNumber": TypeIdentifier,
		"innCode": TypeIdentifier, "swiftBic": TypeIdentifier, "imoNumber": TypeIdentifier,
		"status": TypeString, "sector": TypeString, "mainCountry": TypeCountry,
	})
	defSchema("Person", true, []string{"LegalEntity"}, map[string]PropType{
		"title": TypeString, "firstName": TypeName, "secondName": TypeName, "middleName": TypeName,
		"fatherName": TypeName, "motherName": TypeName, "lastName": TypeName, "nameSuffix": TypeName,
		"birthDate": TypeDate, "birthPlace": TypeString, "birthCountry": TypeCountry,
		"deathDate": TypeDate, "position": TypeString, "nationality": TypeCountry,
		"citizenship": TypeCountry, "passportNumber": TypeIdentifier, "gender": TypeGender,
		"education": TypeString, "religion": TypeString, "ethnicity": TypeString,
	})
	defSchema("Organization", true, []string{"LegalEntity"}, nil)
	defSchema("Company", true, []string{"Organization"}, nil)
	defSchema("Vessel", true, []string{"Thing"}, map[string]PropType{
		"imoNumber": TypeIdentifier, "callSign": TypeIdentifier, "type": TypeString,
		"flag": TypeCountry, "tonnage": TypeNumber, "grossRegisteredTonnage": TypeNumber,
		"owner": TypeEntity,
	})
	defSchema("Airplane", true, []string{"Thing"}, map[string]PropType{
		"registrationNumber": TypeIdentifier, "type": TypeString, "owner": TypeEntity,
	})
	defSchema("Address", false, []string{"Thing"}, map[string]PropType{
		"full": TypeAddress, "street": TypeString, "street2": TypeString, "city": TypeString,
		"postalCode": TypeString, "region": TypeString, "state": TypeString,
	})
	defSchema("Identification", false, []string{"Thing"}, map[string]PropType{
		"holder": TypeEntity, "type": TypeString, "number": TypeIdentifier,
		"authority": TypeString, "startDate": TypeDate, "endDate": TypeDate,
	})
	defSchema("Passport", false, []string{"Identification"}, map[string]PropType{
		"passportNumber": TypeIdentifier, "birthDate": TypeDate, "gender": TypeGender,
	})
	defSchema("Sanction", false, []string{"Thing"}, map[string]PropType{
		"entity": TypeEntity, "authority": TypeString, "authorityId": TypeIdentifier,
		"unscId": TypeIdentifier, "listingDate": TypeDate, "startDate": TypeDate,
		"endDate": TypeDate, "reason": TypeText, "provisions": TypeString,
	})
	defSchema("Interval", false, []string{"Thing"}, map[string]PropType{
		"startDate": TypeDate, "endDate": TypeDate, "role": TypeString,
	})
	defSchema("Membership", false, []string{"Interval"}, map[string]PropType{
		"member": TypeEntity, "organization": TypeEntity,
	})
	defSchema("Family", false, []string{"Interval"}, map[string]PropType{
		"person": TypeEntity, "relative": TypeEntity, "relationship": TypeString,
	})
	defSchema("Associate", false, []string{"Interval"}, map[string]PropType{
		"person": TypeEntity, "associate": TypeEntity, "relationship": TypeString,
	})
	defSchema("Directorship", false, []string{"Interval"}, map[string]PropType{
		"director": TypeEntity, "organization": TypeEntity,
	})
	defSchema("Ownership", false, []string{"Interval"}, map[string]PropType{
		"owner": TypeEntity, "asset": TypeEntity, "percentage": TypeString,
	})
	defSchema("UnknownLink", false, []string{"Interval"}, map[string]PropType{
		"subject": TypeEntity, "object": TypeEntity,
	})
	defSchema("BankAccount", false, []string{"Thing"}, map[string]PropType{
		"holder": TypeEntity, "accountNumber": TypeIdentifier, "iban": TypeIdentifier,
		"bankName": TypeString, "bic": TypeIdentifier, "currency": TypeString,
	})
	defSchema("CryptoWallet", false, []string{"Thing"}, map[string]PropType{
		"holder": TypeEntity, "publicKey": TypeIdentifier, "currency": TypeString,
	})
	defSchema("Payment", false, []string{"Interval"}, map[string]PropType{
		"payer": TypeEntity, "beneficiary": TypeEntity, "amount": TypeNumber, "currency": TypeString,
	})
	defSchema("Note", false, []string{"Thing"}, map[string]PropType{"entity": TypeEntity})
	// Media is a propaganda picture known by its hashes, never by its
	// pixels: the PDQ perceptual hash and its quality, the MD5 and SHA-256
	// of the file, labels such as the producing outlet or the campaign
	// ("outlet:amaq", "campaign:…"), when it was first and last seen.
	defSchema("Media", false, []string{"Thing"}, map[string]PropType{
		"pdqHash": TypeIdentifier, "pdqQuality": TypeNumber, "md5": TypeIdentifier, "sha256": TypeIdentifier,
		"label": TypeString, "status": TypeString, "publisher": TypeString,
		"firstSeen": TypeDate, "lastSeen": TypeDate,
	})
	defCaseSchemata()
	defWorkSchemata()
}

// Media record properties.
const (
	PropPDQHash    = "pdqHash"
	PropPDQQuality = "pdqQuality"
	PropMD5        = "md5"
	PropSHA256     = "sha256"
	PropLabel      = "label"
)

// EntityProps lists the properties of entity type (values that name another
// entity), sorted; stores index them to find the records linking to one.
var EntityProps = []string{"addressEntity", "asset", "associate", "beneficiary", "case", "decision", "director", "entity", "holder", "kinship", "linkedEntity",
	"meeting", "member", "object", "organization", "owner", "payer", "person", "relatedCase", "relatedRecord", "relative", "subject"}

// SchemaByName returns the named schema or nil.
func SchemaByName(name string) *Schema { return schemata[name] }

// SchemaNames lists every known schema, sorted.
func SchemaNames() []string {
	out := make([]string, 0, len(schemata))
	for k := range schemata {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
