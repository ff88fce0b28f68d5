# Reference renderer: Shopify's Liquid (Ruby), the engine Braze runs.
# Reads [{id, template, data}] as JSON on stdin, prints [{id, output} | {id, error}] as JSON.
#
# error_mode :lax is Liquid's default and the tolerant parser Braze's editor behaves like
# (e.g. it accepts `limit:5` and stray punctuation that :strict rejects). render! raises instead
# of printing "Liquid error: ..." inline, so a failing case is reported as an error, not as text.
# strict_filters: Braze rejects unknown filters instead of passing the input through.
require 'json'
require 'liquid'

ENV['TZ'] = 'UTC'
cases = JSON.parse($stdin.read)
results = cases.map do |c|
  begin
    template = Liquid::Template.parse(c['template'], error_mode: :lax, line_numbers: true)
    output = template.render!(c['data'] || {}, strict_filters: true)
    { 'id' => c['id'], 'output' => output }
  rescue StandardError => e
    { 'id' => c['id'], 'error' => e.message }
  end
end
puts JSON.pretty_generate(results)
