package api

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/learnloop/learnloop/internal/core"
	"github.com/learnloop/learnloop/internal/httpx"
	"github.com/learnloop/learnloop/internal/org"
	"github.com/learnloop/learnloop/internal/training"
)

// Compliance is the compliance dashboard of an org unit, or of the caller's whole scope without
// one: counts per compliance item, and per unit directly below, in all and per item.
type Compliance struct {
	Unit  *org.OrgUnit              `json:"unit,omitempty"`
	AsOf  core.Date                 `json:"as_of"`
	Total training.Counts           `json:"total"`
	Items []training.ItemCompliance `json:"items"`
	Units []UnitCompliance          `json:"units"`
}

// UnitCompliance is one unit of the dashboard with its counts for each item, in the order of
// the dashboard's items: one row of the unit × item matrix.
type UnitCompliance struct {
	training.UnitCompliance
	Items []ItemCounts `json:"items"`
}

// ItemCounts are the counts of one cell of the matrix.
type ItemCounts struct {
	ItemID string `json:"item_id"`
	training.Counts
}

// complianceFilter reads the query parameters of the compliance views.
func complianceFilter(r *http.Request) training.ComplianceFilter {
	q := r.URL.Query()
	return training.ComplianceFilter{OrgUnitID: q.Get("org_unit_id"), ItemID: q.Get("item_id"), Status: q.Get("status")}
}

// complianceError names the query parameter of an unknown org unit.
func complianceError(err error) error {
	if e := core.AsError(err); e != nil && e.Field == "org_unit" {
		return core.Invalid("org_unit_id", "%s", e.Message)
	}
	return err
}

func (h *Handler) compliance(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	d, err := h.Training.FindCompliance(r.Context(), a, complianceFilter(r))
	if err != nil {
		h.fail(w, r, complianceError(err))
		return
	}
	c := Compliance{Unit: d.Unit, AsOf: d.AsOf, Total: d.Total, Items: d.Items, Units: make([]UnitCompliance, 0, len(d.Units))}
	if c.Items == nil {
		c.Items = []training.ItemCompliance{}
	}
	for _, u := range d.Units {
		row := UnitCompliance{UnitCompliance: u, Items: make([]ItemCounts, 0, len(c.Items))}
		for _, it := range c.Items {
			row.Items = append(row.Items, ItemCounts{ItemID: it.ItemID, Counts: d.Matrix[u.UnitID+"|"+it.ItemID]})
		}
		c.Units = append(c.Units, row)
	}
	httpx.WriteJSON(w, http.StatusOK, c)
}

// complianceRows answers people's standing with the compliance items, worst first: the first
// limit rows, with how many there are in all (the export has every row).
func (h *Handler) complianceRows(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	n, err := limit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, total, err := h.Training.FindComplianceRows(r.Context(), a, complianceFilter(r), core.ClampLimit(n))
	if err != nil {
		h.fail(w, r, complianceError(err))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, list(rows, "", &total))
}

// complianceTypes are the content types of the compliance export's formats.
var complianceTypes = map[string]string{"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

func (h *Handler) exportCompliance(w http.ResponseWriter, r *http.Request, a *core.Actor) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	ct, ok := complianceTypes[format]
	if !ok {
		h.fail(w, r, core.Invalid("format", "choose csv or xlsx"))
		return
	}
	filename := fmt.Sprintf("compliance-%s.%s", time.Now().UTC().Format("2006-01-02"), format)
	h.downloadAs(w, r, ct, filename, func(out io.Writer) error {
		_, err := h.Training.ExportCompliance(r.Context(), a, complianceFilter(r), format, out)
		return complianceError(err)
	})
}
