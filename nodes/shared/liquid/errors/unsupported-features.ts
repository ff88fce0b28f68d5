/**
 * What the dialect says about Braze features it does not run, shared by the translator (which meets
 * them first) and the tags that refuse them.
 */

/** Braze features that need Braze's servers or files; each answer says what to do in n8n instead. */
export const UNSUPPORTED_TAGS: Readonly<Record<string, string>> = {
	content_blocks:
		'content_blocks is written {{content_blocks.${name}}} on its own (no filters, not as a tag); define the block under Connected Content > Content Blocks or fetch it from Braze',
	catalog_selection_items:
		"catalog_selection_items is not available in n8n: fetch the catalog selection with an HTTP Request node (Braze /catalogs API) and reference it through the item's fields",
	shopping_cart:
		"shopping_cart is not available in n8n: it reads Braze eCommerce cart events; pass the cart through the item's fields instead",
	include:
		'include is not available: templates cannot read other templates or files in n8n; paste the snippet into this field instead',
	render:
		'render is not available: templates cannot read other templates or files in n8n; paste the snippet into this field instead',
	layout:
		'layout is not available: templates cannot read other templates or files in n8n; paste the layout into this field instead',
};

export const CONTENT_BLOCKS_OUTPUT = UNSUPPORTED_TAGS.content_blocks;
