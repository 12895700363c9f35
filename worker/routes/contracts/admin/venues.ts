import * as v from 'valibot'
import { priceCategorySchema, seatFlags } from '../../../domain/seat-chart.ts'
import { englishName, nonEmpty } from '../../query.ts'
import { recordOf } from '../common.ts'
import { sectionNamesSchema, sectionNameView } from '../section-names.ts'

export const venueKinds = ['concert_hall', 'theatre', 'cinema', 'stadium', 'other'] as const

export const venueInput = v.object({
  name: nonEmpty(),
  /** Optional English name; English pages show it, falling back to `name`. */
  nameEn: englishName(),
  kind: v.picklist(venueKinds),
  city: nonEmpty(100),
  /** Optional English name of the city; English pages show it, falling back to `city`. */
  cityEn: englishName(100),
  address: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(500)))),
  stageX: v.optional(v.nullable(v.number())),
  stageY: v.optional(v.nullable(v.number())),
  priceCategories: v.optional(
    v.pipe(
      v.array(priceCategorySchema),
      v.maxLength(50),
      v.check(
        (list) => new Set(list.map((c) => c.code)).size === list.length,
        'category codes must be unique',
      ),
    ),
    [],
  ),
  /**
   * Names of the seat map's sections by key (`{key: 'Stalls', name: '池座', nameEn: 'Stalls'}`): apps show `name`,
   * or `nameEn` on English pages; the key stays in seat labels, tickets and holds. A section left out reads as its key.
   */
  sectionNames: v.optional(sectionNamesSchema, []),
})

export const venueRecord = recordOf({
  ...venueInput.entries,
  nameEn: v.nullable(v.string()),
  cityEn: v.nullable(v.string()),
  sectionNames: v.array(sectionNameView),
  address: v.nullable(v.string()),
  stageX: v.nullable(v.number()),
  stageY: v.nullable(v.number()),
  seatCount: v.number(),
  seatMapVersion: v.number(),
})

/** The seat map as a JSON chart (the import's format), each seat with its `id`. */
export const seatChartExport = v.object({
  venueId: v.string(),
  seatMapVersion: v.number(),
  stage: v.nullable(v.object({ x: v.number(), y: v.number() })),
  categories: v.array(priceCategorySchema),
  sections: v.array(
    v.object({
      name: v.string(),
      rows: v.array(
        v.object({
          label: v.string(),
          seats: v.array(
            v.object({
              id: v.string(),
              number: v.string(),
              /** Only when it differs from `Section-Row-Number`. */
              label: v.optional(v.string()),
              category: v.string(),
              x: v.number(),
              y: v.number(),
              flags: v.optional(v.array(v.picklist(seatFlags))),
            }),
          ),
        }),
      ),
    }),
  ),
})

export const seatMapImported = v.object({
  venueId: v.string(),
  seatMapVersion: v.number(),
  seatCount: v.number(),
  sections: v.array(v.object({ name: v.string(), seats: v.number() })),
})

export const seatsEdited = v.object({ updated: v.number(), seatMapVersion: v.number() })

export type VenueRecord = v.InferOutput<typeof venueRecord>
export type SeatChartExport = v.InferOutput<typeof seatChartExport>
export type SeatMapImported = v.InferOutput<typeof seatMapImported>
export type SeatsEdited = v.InferOutput<typeof seatsEdited>
