import { catalogueMinor } from "./money.ts";
import type { Product, ProductType } from "./model.ts";
import { Random } from "./random.ts";

// A UK speciality coffee shop: consumables people re-buy (beans, tea) next to durable goods bought once
// (equipment) and gifts that peak at Christmas, so product affinity and cadence differ by customer.

export const PRODUCT_TYPES: readonly ProductType[] = [
  "Coffee Beans",
  "Tea",
  "Brewing Equipment",
  "Mugs & Cups",
  "Accessories",
  "Gift Sets",
];

type Entry = readonly [title: string, pounds: number, grams: number];

const CATALOGUE: Record<ProductType, { vendor: string; taxRate: number; items: readonly Entry[] }> = {
  "Coffee Beans": {
    vendor: "Cadence Roastery",
    taxRate: 0,
    items: [
      ["House Espresso 250g", 8.5, 250],
      ["Colombia Huila 250g", 9.75, 250],
      ["Ethiopia Yirgacheffe 250g", 11.5, 250],
      ["Kenya AA 250g", 12.25, 250],
      ["Decaf Brazil 250g", 9.25, 250],
      ["Seasonal Filter 1kg", 29, 1000],
      ["Espresso Blend 1kg", 27.5, 1000],
      ["Guatemala Huehuetenango 250g", 10.5, 250],
    ],
  },
  Tea: {
    vendor: "Leaf & Kettle",
    taxRate: 0,
    items: [
      ["English Breakfast Loose Leaf 100g", 6.5, 100],
      ["Earl Grey Loose Leaf 100g", 7, 100],
      ["Sencha Green 80g", 8.95, 80],
      ["Rooibos Vanilla 100g", 6.95, 100],
      ["Chai Spice 100g", 7.5, 100],
      ["Darjeeling First Flush 50g", 13.5, 50],
    ],
  },
  "Brewing Equipment": {
    vendor: "Brewline",
    taxRate: 0.2,
    items: [
      ["Pour-Over Dripper", 24, 400],
      ["Glass Cafetiere 8 Cup", 32, 900],
      ["Gooseneck Kettle", 59, 1100],
      ["Hand Burr Grinder", 89, 700],
      ["Electric Burr Grinder", 179, 3200],
      ["AeroPress Go", 36.99, 320],
      ["Espresso Machine Compact", 349, 6500],
    ],
  },
  "Mugs & Cups": {
    vendor: "Stoneware Studio",
    taxRate: 0.2,
    items: [
      ["Stoneware Mug", 16, 380],
      ["Double-Walled Glass Cup", 14, 210],
      ["Espresso Cup Pair", 18, 300],
      ["Travel Cup 12oz", 22, 260],
      ["Enamel Camp Mug", 12, 180],
      ["Latte Bowl", 19, 420],
    ],
  },
  Accessories: {
    vendor: "Brewline",
    taxRate: 0.2,
    items: [
      ["Paper Filters (100)", 5.5, 150],
      ["Digital Scale with Timer", 29, 500],
      ["Milk Frothing Jug", 17, 300],
      ["Airtight Bean Canister", 21, 450],
      ["Cleaning Tablets", 7.5, 120],
      ["Tamper 58mm", 26, 400],
      ["Knock Box", 19, 600],
    ],
  },
  "Gift Sets": {
    vendor: "Cadence Roastery",
    taxRate: 0.2,
    items: [
      ["Coffee Discovery Box", 34, 900],
      ["Tea Taster Collection", 29, 500],
      ["Brew at Home Starter Kit", 65, 1800],
      ["Advent Calendar of Coffee", 45, 1200],
      ["Gift Card Bundle Mug & Beans", 28, 700],
      ["Barista Masterclass Set", 120, 2500],
    ],
  },
};

/** The shop's products, with realistic Shopify IDs; the same seed gives the same catalogue. */
export function buildCatalogue(seed: number, currency: string): Product[] {
  const random = Random.derive(seed, 0xca7a);
  let productId = 8_100_000_000_000 + random.int(0, 99_999_999);
  let variantId = 44_100_000_000_000 + random.int(0, 99_999_999);
  const products: Product[] = [];
  PRODUCT_TYPES.forEach((productType, typeIndex) => {
    const { vendor, taxRate, items } = CATALOGUE[productType];
    items.forEach(([title, pounds, grams], itemIndex) => {
      productId += random.int(1_000, 900_000);
      variantId += random.int(1_000, 900_000);
      products.push({
        id: String(productId),
        variantId: String(variantId),
        title,
        productType,
        vendor,
        sku: `CAD-${typeIndex + 1}${String(itemIndex + 1).padStart(2, "0")}`,
        grams,
        priceMinor: catalogueMinor(pounds, currency),
        taxRate,
        // Zipf-like within a type: the first items are the best sellers.
        popularity: 1 / (itemIndex + 1) ** 0.8,
      });
    });
  });
  return products;
}
