/**
 * Maps offsets in the translated (standard Liquid) text back to offsets in the Braze source.
 * Copied runs map one to one; synthesized text maps to the start of the source it replaced.
 */
export class PositionMap {
	private readonly translatedStarts: number[] = [];
	private readonly originalStarts: number[] = [];
	private readonly copied: boolean[] = [];

	add(translatedStart: number, originalStart: number, copied: boolean): void {
		this.translatedStarts.push(translatedStart);
		this.originalStarts.push(originalStart);
		this.copied.push(copied);
	}

	toOriginal(offset: number): number {
		const starts = this.translatedStarts;
		let low = 0;
		let high = starts.length - 1;
		if (high < 0) return offset;
		while (low < high) {
			const mid = (low + high + 1) >> 1;
			if (starts[mid] <= offset) low = mid;
			else high = mid - 1;
		}
		const delta = offset - starts[low];
		return this.copied[low] ? this.originalStarts[low] + Math.max(delta, 0) : this.originalStarts[low];
	}
}
